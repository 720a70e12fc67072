// tests/e2e/lib.mjs — what the browser tests (run.mjs) and the render-time
// measurement (perf.mjs) share: the paths, commands run without blocking,
// the server started on a free port and stopped (its log checked for
// sanitizer reports), the login form.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core')
export const WEB = path.join(root, 'web/dist')
export const CHROME = process.env.CHROMIUM || '/usr/bin/chromium'
export const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

export const password = (name) => `e2e-pass-${name}`

// A command run without blocking the tests meanwhile; resolves with its output.
export function runAsync(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    p.stdout.on('data', (d) => (out += d))
    p.stderr.on('data', (d) => (err += d))
    p.on('error', reject)
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.join(' ')}: ${err || out}`))))
    p.stdin.end(input || '')
  })
}

export async function startServer(bin, dir, db, config) {
  const cfg = path.join(dir, 'server.json')
  const portFile = path.join(dir, 'port')
  const log = path.join(dir, 'server.log')
  fs.writeFileSync(cfg, JSON.stringify(config))
  fs.rmSync(portFile, { force: true }) // (a port an earlier run wrote there)
  const out = fs.openSync(log, 'w')
  const proc = spawn(bin, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--config', cfg, '--web', WEB], { stdio: ['ignore', out, out] })
  let exited = null
  proc.on('exit', (code, sig) => (exited = { code, sig }))
  for (let i = 0; i < 1000; i++) {
    const t = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : ''
    if (+t > 0) return { proc, port: +t, log, exit: () => exited }
    if (exited) throw new Error(`server exited at start: ${fs.readFileSync(log, 'utf8')}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('server did not start')
}

export async function stopServer(s) {
  if (!s.exit()) {
    s.proc.kill('SIGTERM')
    await new Promise((r) => (s.exit() ? r() : s.proc.on('exit', r)))
  }
  const e = s.exit()
  const log = fs.readFileSync(s.log, 'utf8')
  if (e.code !== 0) throw new Error(`server did not stop cleanly (${JSON.stringify(e)}): ${log}`)
  if (/AddressSanitizer|LeakSanitizer|runtime error/.test(log)) throw new Error(`sanitizer report in the server log: ${log}`)
}

// --- the login form --------------------------------------------------------------
export async function login(page, base, name) {
  await page.goto(`${base}/`)
  await page.waitForURL(/\/login/)
  await page.fill('input[name=username]', name)
  await page.fill('input[name=password]', password(name))
  await page.click('button:has-text("登录")')
  await page.waitForSelector('.el-menu')
}

export async function logout(page) {
  await page.click('button:has-text("退出登录")')
  await page.waitForURL(/\/login/)
}

// echart.js — an ECharts bar chart bound to a component's element: created
// when the component mounts, resized with the window, disposed when it goes.
// draw(chart) sets the options; it runs once mounted and on every redraw().
import { onBeforeUnmount, onMounted } from 'vue'
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

export function useBarChart(el, draw) {
  let chart = null
  const resize = () => chart && chart.resize()
  const redraw = () => (chart ? draw(chart) : undefined)
  onMounted(() => {
    chart = echarts.init(el.value)
    window.addEventListener('resize', resize)
    redraw()
  })
  onBeforeUnmount(() => {
    window.removeEventListener('resize', resize)
    chart && chart.dispose()
    chart = null
  })
  return { redraw }
}

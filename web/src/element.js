// The Element Plus components the app uses, registered one by one with their
// styles: the whole library (app.use(ElementPlus) and its index.css) put 880 KB
// of script and 361 KB of CSS in front of every page load.  A template using an
// el-* component missing here fails `node tests/e2e/element-check.mjs` (make test).
import {
  ElAlert, ElAside, ElButton, ElCard, ElCascader, ElCheckbox, ElCol, ElContainer, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput,
  ElInputNumber, ElMain, ElMenu, ElMenuItem, ElOption, ElPageHeader, ElPagination, ElRadio,
  ElRadioButton, ElRadioGroup, ElResult, ElRow, ElSelect, ElTabPane, ElTable, ElTableColumn,
  ElTabs, ElTag, ElTimeline, ElTimelineItem, ElLoading, provideGlobalConfig,
} from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/es/components/alert/style/css'
import 'element-plus/es/components/aside/style/css'
import 'element-plus/es/components/button/style/css'
import 'element-plus/es/components/card/style/css'
import 'element-plus/es/components/cascader/style/css'
import 'element-plus/es/components/checkbox/style/css'
import 'element-plus/es/components/col/style/css'
import 'element-plus/es/components/container/style/css'
import 'element-plus/es/components/date-picker/style/css'
import 'element-plus/es/components/descriptions/style/css'
import 'element-plus/es/components/descriptions-item/style/css'
import 'element-plus/es/components/dialog/style/css'
import 'element-plus/es/components/empty/style/css'
import 'element-plus/es/components/form/style/css'
import 'element-plus/es/components/form-item/style/css'
import 'element-plus/es/components/header/style/css'
import 'element-plus/es/components/input/style/css'
import 'element-plus/es/components/input-number/style/css'
import 'element-plus/es/components/main/style/css'
import 'element-plus/es/components/menu/style/css'
import 'element-plus/es/components/menu-item/style/css'
import 'element-plus/es/components/option/style/css'
import 'element-plus/es/components/page-header/style/css'
import 'element-plus/es/components/pagination/style/css'
import 'element-plus/es/components/radio/style/css'
import 'element-plus/es/components/radio-button/style/css'
import 'element-plus/es/components/radio-group/style/css'
import 'element-plus/es/components/result/style/css'
import 'element-plus/es/components/row/style/css'
import 'element-plus/es/components/select/style/css'
import 'element-plus/es/components/tab-pane/style/css'
import 'element-plus/es/components/table/style/css'
import 'element-plus/es/components/table-column/style/css'
import 'element-plus/es/components/tabs/style/css'
import 'element-plus/es/components/tag/style/css'
import 'element-plus/es/components/timeline/style/css'
import 'element-plus/es/components/timeline-item/style/css'
import 'element-plus/es/components/loading/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'

export const COMPONENTS = {
  ElAlert, ElAside, ElButton, ElCard, ElCascader, ElCheckbox, ElCol, ElContainer, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput,
  ElInputNumber, ElMain, ElMenu, ElMenuItem, ElOption, ElPageHeader, ElPagination, ElRadio,
  ElRadioButton, ElRadioGroup, ElResult, ElRow, ElSelect, ElTabPane, ElTable, ElTableColumn,
  ElTabs, ElTag, ElTimeline, ElTimelineItem,
}

export function installElement(app) {
  for (const [name, c] of Object.entries(COMPONENTS)) app.component(name, c)
  app.use(ElLoading) // v-loading
  provideGlobalConfig({ locale: zhCn }, app, true)
}

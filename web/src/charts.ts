// ECharts, only the parts the 统计 page uses (echarts/core and the chart
// types, components and the canvas renderer), so the bundle stays small and
// is loaded with that page only.
import { use, init, type ComposeOption, type EChartsType } from 'echarts/core'
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

export { init, type EChartsType }

// Tooltips drawn on the canvas (richText), not as HTML: the page's CSP
// allows no inline style attributes in markup.
export const tooltip: TooltipComponentOption = { renderMode: 'richText', confine: true }

export const palette = ['#1f4e8c', '#3ba272', '#fac858', '#ee6666', '#73c0de', '#9a60b4', '#fc8452', '#91cc75', '#ea7ccc', '#5470c6', '#8d6e63', '#26a69a']

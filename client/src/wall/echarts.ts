import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'

/** Only the ECharts parts the wall draws, so the bundle carries no more. */
use([CanvasRenderer, LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent])

export const CHART_TEXT = { color: '#9fb3c8', fontFamily: 'WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif' }

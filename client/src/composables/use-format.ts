import { useI18n } from 'vue-i18n'

/** Numbers, percentages, times and durations in the chosen language. */
export function useFormat() {
  const { locale, t } = useI18n()
  const number = (v: number | null | undefined, digits = 0) =>
    v === null || v === undefined ? '—' : new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v)
  const percent = (v: number | null | undefined, digits = 1) =>
    v === null || v === undefined ? '—' : new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v)
  const time = (d: Date | string, seconds = false) =>
    new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false, timeZone: 'Asia/Shanghai' }).format(new Date(d))
  const date = (d: Date | string) =>
    new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(d))
  /** A span of milliseconds as "3 h 12 min" / "3小时12分". */
  const duration = (ms: number) => {
    const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000))
    const h = Math.floor(minutes / 60)
    return h > 0 ? t('due.hours', { h, m: minutes % 60 }) : t('due.minutes', { m: minutes })
  }
  return { number, percent, time, date, duration, locale }
}

import type { WorkCalendar } from './working-time.ts'

/**
 * The mainland China work calendar for due times: Beijing time (UTC+8, no DST) and the public
 * holidays and 调休 make-up working days published by 国务院办公厅 for each year.
 *
 * The periods 9:00–12:00 and 13:30–17:30 (7 h a day) are a common government schedule, not a
 * national rule: a city with other hours (summer hours, 8:30 starts) changes them as data.
 *
 * Every day off inside a holiday is listed, weekend days included, so a reader can check a
 * year against the notice line by line. The State Council publishes the next year's schedule
 * around November (2027's around November 2026); it is added here as data, not as code. Until
 * it is, dates past the listed years fall back to plain Mon–Fri working weeks.
 */
export const CHINA_CALENDAR: WorkCalendar = {
  utcOffsetMinutes: 480,
  periods: [
    [540, 720], // 09:00–12:00
    [810, 1050], // 13:30–17:30
  ],
  holidays: [
    // 2025
    '2025-01-01', // 元旦
    '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04', // 春节
    '2025-04-04', '2025-04-05', '2025-04-06', // 清明节
    '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05', // 劳动节
    '2025-05-31', '2025-06-01', '2025-06-02', // 端午节
    '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08', // 国庆节、中秋节
    // 2026
    '2026-01-01', '2026-01-02', '2026-01-03', // 元旦
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', // 春节
    '2026-04-04', '2026-04-05', '2026-04-06', // 清明节
    '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', // 劳动节
    '2026-06-19', '2026-06-20', '2026-06-21', // 端午节
    '2026-09-25', '2026-09-26', '2026-09-27', // 中秋节
    '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', // 国庆节
  ],
  workdays: [
    // 2025
    '2025-01-26', '2025-02-08', // 春节: Sun, Sat
    '2025-04-27', // 劳动节: Sun
    '2025-09-28', '2025-10-11', // 国庆节、中秋节: Sun, Sat
    // 2026
    '2026-01-04', // 元旦: Sun
    '2026-02-14', '2026-02-28', // 春节: Sat, Sat
    '2026-05-09', // 劳动节: Sat
    '2026-09-20', '2026-10-10', // 国庆节: Sun, Sat
  ],
}

import { createI18n } from 'vue-i18n'
import en from './en.ts'
import zh from './zh-CN.ts'

export type Locale = 'zh-CN' | 'en'

/**
 * Simplified Chinese by default, English by a switch. Numbers and dates go through Intl with the
 * chosen locale (see `useFormat`), so every label, number and date follows the language.
 */
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN' as Locale,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
}

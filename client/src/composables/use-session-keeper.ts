import { onBeforeUnmount } from 'vue'
import { api } from '../services/api.ts'
import { saveSession } from '../services/session.ts'

/** Sign-in tokens last 12 hours; a wall that runs for days renews its token every hour. */
export function useSessionKeeper(everyMs = 3600_000) {
  const timer = setInterval(() => {
    api.refresh().then(saveSession).catch(() => {}) // a failed renewal is retried next hour; the old token is still valid
  }, everyMs)
  onBeforeUnmount(() => clearInterval(timer))
}

import { onBeforeUnmount, shallowRef } from 'vue'

/** A clock that ticks every `ms` (default one second), for countdowns and the header. */
export function useClock(ms = 1000) {
  const now = shallowRef(new Date())
  const timer = setInterval(() => { now.value = new Date() }, ms)
  onBeforeUnmount(() => clearInterval(timer))
  return now
}

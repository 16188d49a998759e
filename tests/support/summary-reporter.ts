import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends the output with one line CI reads: `N passed, N failed`. A run that executed nothing
 * shows `0 passed`, and errors outside tests (a crashing setup file) count as failures.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const module of modules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++ // the file itself failed to load
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
    }
    if (skipped) console.log(`(${skipped} skipped)`)
    console.log(`${passed} passed, ${failed} failed`)
  }
}

import { describe, expect, it } from 'vitest'
import { INCIDENT_STATE_KEYS, isOpenState, nextState, STEP_KEYS, stepAllowedFrom, STEPS, stepsFrom, type IncidentState, type IncidentStep } from '@gezhi/geo'

/**
 * The whole state machine, written out by hand as the expected answer for every state × step:
 * the target state when allowed, '—' when refused. Reading a row tells what can happen to a case
 * in that state; a change to STEPS that is not mirrored here fails.
 */
const EXPECTED: Record<IncidentState, Partial<Record<IncidentStep, IncidentState>>> = {
  reported: { file: 'filed', reject: 'rejected', void: 'voided', self_handle: 'closed', supervise: 'reported' },
  filed: { void: 'voided', dispatch: 'dispatched', whistle: 'coordinating', defer: 'deferred', supervise: 'filed' },
  dispatched: {
    return: 'filed', accept: 'accepted', escalate: 'dispatched', whistle: 'coordinating', request_extension: 'dispatched',
    approve_extension: 'dispatched', deny_extension: 'dispatched', defer: 'deferred', appeal: 'appealed', supervise: 'dispatched',
  },
  accepted: {
    escalate: 'dispatched', whistle: 'coordinating', handle: 'handled', request_extension: 'accepted', approve_extension: 'accepted',
    deny_extension: 'accepted', defer: 'deferred', appeal: 'appealed', supervise: 'accepted',
  },
  coordinating: { report_in: 'coordinating', reply: 'coordinating', defer: 'deferred', supervise: 'coordinating' },
  appealed: { uphold_appeal: 'filed', dismiss_appeal: 'accepted', supervise: 'appealed' },
  rework: {
    escalate: 'dispatched', whistle: 'coordinating', handle: 'handled', request_extension: 'rework', approve_extension: 'rework',
    deny_extension: 'rework', defer: 'deferred', appeal: 'appealed', supervise: 'rework',
  },
  deferred: { resume: 'filed', supervise: 'deferred' },
  handled: { check_pass: 'closed', check_fail: 'rework', supervise: 'handled' },
  closed: { evaluate: 'evaluated' },
  evaluated: {},
  rejected: {},
  voided: {},
}

describe('the case state machine', () => {
  const cases = INCIDENT_STATE_KEYS.flatMap((state) => STEP_KEYS.map((step) => [state, step] as const))

  it(`covers all ${INCIDENT_STATE_KEYS.length} states × ${STEP_KEYS.length} steps`, () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...INCIDENT_STATE_KEYS].sort())
    expect(cases).toHaveLength(INCIDENT_STATE_KEYS.length * STEP_KEYS.length)
  })

  it.each(cases)('%s × %s', (state, step) => {
    const expected = EXPECTED[state][step]
    expect(stepAllowedFrom(step, state)).toBe(expected !== undefined)
    if (expected) expect(nextState(step, state)).toBe(expected)
    else expect(() => nextState(step, state)).toThrow(/not allowed/)
  })

  it('lists the steps possible from each state, for menus', () => {
    for (const state of INCIDENT_STATE_KEYS) expect(stepsFrom(state).sort()).toEqual(Object.keys(EXPECTED[state]).sort())
  })

  it('lets closed, rejected and voided cases end, and every open state move on', () => {
    for (const state of INCIDENT_STATE_KEYS) {
      const moves = stepsFrom(state).filter((s) => nextState(s, state) !== state)
      if (isOpenState(state)) expect(moves.length, state).toBeGreaterThan(0)
    }
    expect(stepsFrom('evaluated')).toEqual([])
  })

  it('asks for a reason where a person must give one, and photos where the work must be shown', () => {
    const withNote = STEP_KEYS.filter((s) => 'note' in STEPS[s] && STEPS[s].note)
    expect(withNote).toEqual(expect.arrayContaining(['reject', 'void', 'return', 'check_fail', 'escalate', 'defer', 'appeal', 'supervise']))
    expect(STEP_KEYS.filter((s) => 'photos' in STEPS[s] && STEPS[s].photos).sort()).toEqual(['handle', 'self_handle'])
  })
})

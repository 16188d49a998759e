import { describe, expect, it } from 'vitest'
import { bandsFor, type ChoroplethState, choroplethChanges } from '../../client/src/map/choropleth.ts'

/**
 * The wall refetches its grid figures every minute and after every burst of events. It used to
 * rewrite every grid's feature-state and the layers' filters each time, so the map repainted for
 * nothing — on a software-rendered screen each repaint blocked the page for a second or more, and
 * a case reported meanwhile reached the ticker late.
 */
const rates = bandsFor('onTimeClosureRate', [])
const state = (bandById: Array<[number, number]>, over: Partial<ChoroplethState> = {}): ChoroplethState =>
  ({ depth: 1, parentId: null, bands: rates, bandById: new Map(bandById), ...over })

describe('choropleth changes between two refetches', () => {
  it('changes nothing when the figures are the same', () => {
    const change = choroplethChanges(state([[1, 2], [2, -1]]), state([[1, 2], [2, -1]]))
    expect(change).toEqual({ restyle: false, set: new Map(), removed: [], unchanged: true })
  })

  it('sets only the grids whose band moved, and clears grids that left', () => {
    const change = choroplethChanges(state([[1, 2], [2, -1], [3, 4]]), state([[1, 2], [2, 0], [4, 1]]))
    expect(change.restyle).toBe(false)
    expect(change.set).toEqual(new Map([[2, 0], [4, 1]]))
    expect(change.removed).toEqual([3])
    expect(change.unchanged).toBe(false)
  })

  it('restyles and rewrites everything on the first shading', () => {
    const change = choroplethChanges(null, state([[1, 2]]))
    expect(change).toMatchObject({ restyle: true, removed: [], unchanged: false })
    expect(change.set).toEqual(new Map([[1, 2]]))
  })

  it('restyles when the focus, the level or the bands change', () => {
    expect(choroplethChanges(state([[1, 2]]), state([[1, 2]], { parentId: 7 })).restyle).toBe(true)
    expect(choroplethChanges(state([[1, 2]]), state([[1, 2]], { bands: bandsFor('reported', [1, 5, 9, 20, 40]) })).restyle).toBe(true)
    // Another level: every old grid is cleared (it lives in another source layer), every new one set.
    const deeper = choroplethChanges(state([[1, 2]]), state([[1, 2], [9, 3]], { depth: 2, parentId: 1 }))
    expect(deeper).toMatchObject({ restyle: true, removed: [1] })
    expect(deeper.set).toEqual(new Map([[1, 2], [9, 3]]))
  })
})

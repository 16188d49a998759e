import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/src/app.ts'
import { signIn } from '../support/incident-helpers.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

let app: App
let admin: Record<string, string>
let streetId: number
let departmentId: number
/** Unique per run: the test database is shared by the files of a worker. */
const name = (label: string) => `t${process.pid}-${label}`.slice(0, 32)

beforeAll(async () => {
  app = await testApp()
  admin = await signIn(app, 'admin')
  const db = await testDb()
  streetId = (await db.query<{ id: number }>('SELECT id FROM grids WHERE level = 1 ORDER BY code LIMIT 1'))[0]!.id
  departmentId = (await db.query<{ id: number }>("SELECT id FROM departments WHERE code = 'CGJ'"))[0]!.id
})
afterAll(async () => { await app.close() })

const create = (body: Record<string, unknown>, headers = admin) => app.inject({ method: 'POST', url: '/api/users', payload: body, headers })

describe('POST /api/users', () => {
  it('lets an admin create a leader bound to a grid, who can then sign in and sees that grid as theirs', async () => {
    const username = name('leader')
    const res = await create({ username, displayName: '模拟街道网格长', password: 'long-enough-1', role: 'leader', gridId: streetId })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ username, displayName: '模拟街道网格长', role: 'leader', gridId: streetId, departmentId: null, active: true })
    expect(res.json()).not.toHaveProperty('passwordHash')
    expect(res.json()).not.toHaveProperty('password')

    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'long-enough-1' } })
    expect(login.statusCode, login.body).toBe(200)
    expect(login.json().user).toMatchObject({ username, role: 'leader', gridPath: [streetId] })

    const again = await create({ username, displayName: '重名', password: 'long-enough-2', role: 'commander' })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('USERNAME_TAKEN')
  })

  it('creates department staff bound to a department, and roles without a binding', async () => {
    const dept = await create({ username: name('dept'), displayName: '城管局', password: 'long-enough-1', role: 'department', departmentId })
    expect(dept.statusCode, dept.body).toBe(201)
    expect(dept.json()).toMatchObject({ role: 'department', departmentId, gridId: null })
    const planner = await create({ username: name('planner'), displayName: '规划员', password: 'long-enough-1', role: 'planner' })
    expect(planner.statusCode, planner.body).toBe(201)
  })

  it('refuses a binding that does not fit the role with a 400 naming the field, before the database CHECK', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ role: 'leader' }, /gridId is required/],
      [{ role: 'worker', departmentId }, /gridId is required/],
      [{ role: 'department' }, /departmentId is required/],
      [{ role: 'department', departmentId, gridId: streetId }, /leave gridId out/],
      [{ role: 'commander', gridId: streetId }, /leave gridId out/],
      [{ role: 'leader', gridId: streetId, departmentId }, /leave departmentId out/],
    ]
    for (const [binding, message] of cases) {
      const res = await create({ username: name('bad'), displayName: 'x', password: 'long-enough-1', ...binding })
      expect(res.statusCode, JSON.stringify(binding)).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message) })
    }
  })

  it('answers 404 for an unknown grid or department', async () => {
    const grid = await create({ username: name('nogrid'), displayName: 'x', password: 'long-enough-1', role: 'worker', gridId: 2_000_000_000 })
    expect(grid.statusCode).toBe(404)
    expect(grid.json().code).toBe('GRID_NOT_FOUND')
    const dept = await create({ username: name('nodept'), displayName: 'x', password: 'long-enough-1', role: 'department', departmentId: 99_999 })
    expect(dept.statusCode).toBe(404)
    expect(dept.json().code).toBe('DEPARTMENT_NOT_FOUND')
  })

  it('refuses malformed bodies with a 4xx', async () => {
    const good = { username: name('shape'), displayName: 'x', password: 'long-enough-1', role: 'commander' }
    const bad: Array<Record<string, unknown>> = [
      { ...good, password: 'short' },
      { ...good, username: 'No Capitals' },
      { ...good, username: 'ab' },
      { ...good, role: 'mayor' },
      { ...good, displayName: '' },
      { ...good, gridId: 'one' },
      { ...good, extra: true },
      { username: good.username, password: good.password, role: good.role },
    ]
    for (const body of bad) {
      const res = await create(body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
    }
    const notJson = await app.inject({ method: 'POST', url: '/api/users', payload: '{', headers: { ...admin, 'content-type': 'application/json' } })
    expect(notJson.statusCode).toBe(400)
  })

  it('is for admins only: 403 for other staff, 401 for the public', async () => {
    const body = { username: name('nope'), displayName: 'x', password: 'long-enough-1', role: 'commander' }
    for (const who of ['commander', 'street', 'dept-cgj']) {
      const res = await create(body, await signIn(app, who))
      expect(res.statusCode, who).toBe(403)
      expect(res.json().code).toBe('FORBIDDEN')
    }
    const anonymous = await app.inject({ method: 'POST', url: '/api/users', payload: body })
    expect(anonymous.statusCode).toBe(401)
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: body.username, password: body.password } })).statusCode).toBe(401)
  })
})

describe('GET /api/users', () => {
  it('lists accounts for an admin without password hashes', async () => {
    const res = await app.inject({ url: '/api/users', headers: admin })
    expect(res.statusCode).toBe(200)
    const users = res.json() as Array<Record<string, unknown>>
    expect(users.find((u) => u.username === 'commander')).toMatchObject({ role: 'commander', gridId: null, departmentId: null })
    expect(users.find((u) => u.username === 'dept-cgj')).toMatchObject({ role: 'department', departmentId })
    expect(res.body).not.toMatch(/argon2|password/i)
  })

  it('is refused to other staff (403) and the public (401)', async () => {
    expect((await app.inject({ url: '/api/users', headers: await signIn(app, 'commander') })).statusCode).toBe(403)
    expect((await app.inject({ url: '/api/users' })).statusCode).toBe(401)
  })
})

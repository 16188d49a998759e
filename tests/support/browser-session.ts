import type { Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../server/src/seed/demo-users.ts'

/** Signs `username` in through the API and stores the session as the login page would. */
export async function signInPage(page: Page, baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) })
  const session = await res.json()
  await page.goto(`${baseUrl}/login`)
  await page.evaluate((s) => localStorage.setItem('gezhi.session', JSON.stringify(s)), session)
  return session.token as string
}

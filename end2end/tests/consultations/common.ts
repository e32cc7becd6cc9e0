import type { Page } from '@playwright/test';
import { jsEnabled, signIn, waitReady, type Persona } from '../helpers';

/** A subject unique to this run and project, so that tests can find what they wrote. */
export function subject(what: string): string {
  return `${what} (${jsEnabled() ? 'hydrated' : 'no-js'} ${Date.now().toString(36)})`;
}

/** Presses `button` and waits until the browser has landed where `done` says. */
export async function submit(page: Page, button: string | RegExp, done: (url: URL) => boolean) {
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(done);
  await waitReady(page);
}

/** Signs out (clears the cookies) and signs in as `persona`. */
export async function switchTo(page: Page, persona: Persona) {
  await page.context().clearCookies();
  await signIn(page, persona);
}


import type { Page } from '@playwright/test';
import { PASSWORD } from './api';
import { expect } from './fixtures';

/** UI steps shared by specs: each waits for the state the app shows when it is done. */

export async function signIn(page: Page, email: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Live now' })).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');
}

export async function goLive(page: Page, call: { title: string; policy?: 'team' | 'mentees-and-managers' | 'managers' }): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Go live' }).click();
  await page.getByLabel('Call title').fill(call.title);
  await page.getByLabel('Who may listen').selectOption(call.policy ?? 'team');
  await page.getByRole('button', { name: 'Go live' }).click();
  await expect(page.getByTestId('host-live')).toContainText('Live');
}

/** Clicks Listen on the board card of `title` and waits until audio plays. */
export async function listenTo(page: Page, title: string): Promise<void> {
  const card = page.getByTestId('call-card').filter({ hasText: title });
  await card.getByRole('button', { name: /Listen/ }).click();
  await expect(page.getByTestId('listen-view')).toHaveAttribute('data-phase', 'playing');
}

import type { Page } from 'playwright-core';

/** A 390-px phone (the width the issue was tried at) and an office desktop. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

/** Plausible answers to the calculators' number and month questions, by question id (server/src/rules/rulesets). */
const ANSWERS: Record<string, string> = {
  birthYearMonth: '1971-06',
  contributionMonths: '75',
  retirementYear: '2030',
  contributionYears: '20',
  retirementAgeYears: '60',
  averageContributionIndex: '1',
  personalAccountBalance: '100000',
  monthlyWage: '8000',
  injuryRiskClass: '1',
  baseRatio: '1',
};

/**
 * Runs a calculator's interview to its result with the mouse: the first choice of every choice
 * question, the answers above for the rest. Returns the result's locator once it is shown.
 */
export async function runCalculator(page: Page, base: string, ruleSetId: string) {
  await page.goto(`${base}/calculators/${ruleSetId}`);
  const question = page.getByTestId('calc-question');
  const result = page.getByTestId('calc-result');
  for (let step = 0; step < 15; step++) {
    await question.or(result).first().waitFor();
    if (await result.isVisible()) return result;
    const id = (await question.getAttribute('data-question')) ?? '';
    const answer = question.getByTestId('calc-answer');
    const radios = answer.locator('input[type="radio"]');
    if ((await radios.count()) > 0) {
      await answer.locator('label').first().click();
    } else {
      const input = (await answer.evaluate((el) => el.tagName)) === 'INPUT' ? answer : answer.locator('input').first();
      await input.click();
      await input.fill(ANSWERS[id] ?? '1');
      if (id === 'birthYearMonth') await input.press('Enter');
    }
    await page.getByTestId('calc-next').click();
    // the next question (or the result) replaces this one, or the server refuses the answer
    await page.waitForFunction(
      (previous) => document.querySelector('[data-testid="calc-question"]')?.getAttribute('data-question') !== previous || !!document.querySelector('[data-testid="calc-result"], [data-testid="calc-interview"] .ant-alert-error'),
      id,
    );
    const refusal = page.locator('[data-testid="calc-interview"] .ant-alert-error');
    if (await refusal.isVisible()) throw new Error(`${ruleSetId}: the answer ${ANSWERS[id] ?? '(a choice)'} to ${id} was refused: ${await refusal.innerText()}`);
  }
  throw new Error(`${ruleSetId}: no result after 15 questions`);
}

/** Turns 长辈版 on with the header's switch, as a citizen would. */
export async function turnOnElderMode(page: Page) {
  const toggle = page.getByTestId('elder-toggle');
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await page.waitForFunction(() => document.documentElement.classList.contains('zx-elder'));
}

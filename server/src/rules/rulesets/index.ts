import type { RuleSetDef } from '../types';
import { contribution } from './contribution';
import { pensionEstimate } from './pension-estimate';
import { retirementAge } from './retirement-age';
import { unemploymentBenefit } from './unemployment-benefit';

/** The four rule sets zhixun ships with (RULESETS.md), as documents. */
export const builtinRuleSets: RuleSetDef[] = [retirementAge, contribution, pensionEstimate, unemploymentBenefit];

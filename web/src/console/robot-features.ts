import type { MessageKey } from '../i18n';

/**
 * The ranking features the robot's explanation returns (server/src/robot/match-index.ts FEATURE_NAMES),
 * each with its name in words; the raw name is only shown on hover, for whoever tunes the ranker.
 */
export const ROBOT_FEATURE_LABELS: Record<string, MessageKey> = {
  bestCosW: 'robot.f.bestCosW',
  bestCosB: 'robot.f.bestCosB',
  stdCos: 'robot.f.stdCos',
  covW: 'robot.f.covW',
  covB: 'robot.f.covB',
  kwScore: 'robot.f.kwScore',
  ansCov: 'robot.f.ansCov',
  conceptCov: 'robot.f.conceptCov',
  catCov: 'robot.f.catCov',
  docCov: 'robot.f.docCov',
  support: 'robot.f.support',
  intent: 'robot.f.intent',
  ansB: 'robot.f.ansB',
  centW: 'robot.f.centW',
  centB: 'robot.f.centB',
  bm25Q: 'robot.f.bm25Q',
  bm25A: 'robot.f.bm25A',
  intentCov: 'robot.f.intentCov',
  focusCov: 'robot.f.focusCov',
  predCov: 'robot.f.predCov',
  predCent: 'robot.f.predCent',
  coreCov: 'robot.f.coreCov',
  anyCov: 'robot.f.anyCov',
  missMax: 'robot.f.missMax',
};

/** The three features shown as columns of the candidates table: how alike the questions are. */
export const HEADLINE_FEATURES = ['bestCosW', 'bestCosB', 'stdCos'];

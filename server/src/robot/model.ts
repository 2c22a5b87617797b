// Small logistic-regression models (ranking + confidence calibration). No dependencies.

export interface LogisticModel {
  names: readonly string[];
  mean: number[];
  std: number[];
  w: number[];
  b: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(m: LogisticModel, x: ArrayLike<number>): number {
  let z = m.b;
  for (let i = 0; i < m.w.length; i++) z += m.w[i] * ((x[i] - m.mean[i]) / m.std[i]);
  return z;
}

export function predict(m: LogisticModel, x: ArrayLike<number>): number {
  return sigmoid(logit(m, x));
}

export interface FitOptions {
  l2?: number;
  iterations?: number;
  learningRate?: number;
  /** weight of positive samples (class balance) */
  positiveWeight?: number;
  /** per-sample weights (default 1) */
  sampleWeights?: number[];
  /** sign constraints per feature: 1 → weight ≥ 0, -1 → weight ≤ 0, 0 → free (projected gradient) */
  signs?: number[];
}

/** Full-batch gradient descent on standardised features with L2 regularisation. */
export function fitLogistic(names: readonly string[], X: ArrayLike<number>[], y: number[], opts: FitOptions = {}): LogisticModel {
  const n = X.length;
  const k = names.length;
  const l2 = opts.l2 ?? 1e-3;
  const iters = opts.iterations ?? 400;
  const lr = opts.learningRate ?? 0.5;
  const pw = opts.positiveWeight ?? 1;
  const mean = new Array(k).fill(0);
  const std = new Array(k).fill(0);
  for (const x of X) for (let j = 0; j < k; j++) mean[j] += x[j] / n;
  for (const x of X) for (let j = 0; j < k; j++) std[j] += (x[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < k; j++) std[j] = Math.sqrt(std[j]) || 1;
  const Z = X.map((x) => Array.from({ length: k }, (_, j) => (x[j] - mean[j]) / std[j]));
  const w = new Array(k).fill(0);
  let b = 0;
  const sws = opts.sampleWeights;
  let totalW = 0;
  for (let i = 0; i < n; i++) totalW += (y[i] ? pw : 1) * (sws ? sws[i] : 1);
  for (let it = 0; it < iters; it++) {
    const gw = new Array(k).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let z = b;
      const zi = Z[i];
      for (let j = 0; j < k; j++) z += w[j] * zi[j];
      const sw = (y[i] ? pw : 1) * (sws ? sws[i] : 1);
      const err = (sigmoid(z) - y[i]) * sw;
      for (let j = 0; j < k; j++) gw[j] += err * zi[j];
      gb += err;
    }
    for (let j = 0; j < k; j++) {
      w[j] -= lr * (gw[j] / totalW + l2 * w[j]);
      const sg = opts.signs?.[j];
      if (sg === 1 && w[j] < 0) w[j] = 0;
      else if (sg === -1 && w[j] > 0) w[j] = 0;
    }
    b -= lr * (gb / totalW);
  }
  return { names, mean, std, w, b };
}

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
  // flat standardised design matrix
  const Z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) Z[i * k + j] = (X[i][j] - mean[j]) / std[j];
  const sws = opts.sampleWeights;
  const sw = new Float64Array(n);
  let totalW = 0;
  for (let i = 0; i < n; i++) {
    sw[i] = (y[i] ? pw : 1) * (sws ? sws[i] : 1);
    totalW += sw[i];
  }
  const w = new Float64Array(k);
  const gw = new Float64Array(k);
  let b = 0;
  for (let it = 0; it < iters; it++) {
    gw.fill(0);
    let gb = 0;
    for (let i = 0, o = 0; i < n; i++, o += k) {
      let z = b;
      for (let j = 0; j < k; j++) z += w[j] * Z[o + j];
      const err = (sigmoid(z) - y[i]) * sw[i];
      for (let j = 0; j < k; j++) gw[j] += err * Z[o + j];
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
  return { names, mean, std, w: Array.from(w), b };
}

/**
 * Pairwise ranking model (RankNet-style logistic loss on feature differences right − wrong), no bias:
 * score(x) = Σ w_j x_j / s_j, with s_j the root mean square of the differences. Projected gradient
 * descent honours sign constraints.
 */
export function fitPairwise(names: readonly string[], diffs: ArrayLike<number>[], opts: FitOptions = {}): LogisticModel {
  const n = diffs.length;
  const k = names.length;
  const l2 = opts.l2 ?? 1e-3;
  const iters = opts.iterations ?? 200;
  const lr = opts.learningRate ?? 0.5;
  const scale = new Array(k).fill(0);
  for (const d of diffs) for (let j = 0; j < k; j++) scale[j] += (d[j] * d[j]) / (n || 1);
  for (let j = 0; j < k; j++) scale[j] = Math.sqrt(scale[j]) || 1;
  const Z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) Z[i * k + j] = diffs[i][j] / scale[j];
  const sws = opts.sampleWeights;
  let totalW = 0;
  for (let i = 0; i < n; i++) totalW += sws ? sws[i] : 1;
  // accelerated projected gradient (FISTA): converges in a few hundred full passes where plain
  // gradient descent needs thousands; projection keeps the sign constraints
  const w = new Float64Array(k);
  const prev = new Float64Array(k);
  const y = new Float64Array(k);
  const gw = new Float64Array(k);
  let t = 1;
  for (let it = 0; it < iters; it++) {
    gw.fill(0);
    for (let i = 0, o = 0; i < n; i++, o += k) {
      let z = 0;
      for (let j = 0; j < k; j++) z += y[j] * Z[o + j];
      const err = (sigmoid(z) - 1) * (sws ? sws[i] : 1);
      for (let j = 0; j < k; j++) gw[j] += err * Z[o + j];
    }
    prev.set(w);
    for (let j = 0; j < k; j++) {
      let v = y[j] - lr * (gw[j] / (totalW || 1) + l2 * y[j]);
      const sg = opts.signs?.[j];
      if ((sg === 1 && v < 0) || (sg === -1 && v > 0)) v = 0;
      w[j] = v;
    }
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    for (let j = 0; j < k; j++) y[j] = w[j] + ((t - 1) / tNext) * (w[j] - prev[j]);
    t = tNext;
  }
  return { names, mean: new Array(k).fill(0), std: scale, w: Array.from(w), b: 0 };
}

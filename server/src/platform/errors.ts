/** An error the client caused or may see: carries an HTTP status, a stable code and a message. */
export class AppError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, field?: string) => new AppError(400, code, message, field);
export const unauthorized = (code = 'unauthenticated', message = '请先登录 / sign-in required') =>
  new AppError(401, code, message);
export const forbidden = (code = 'forbidden', message = '无权执行此操作 / not allowed') => new AppError(403, code, message);
export const notFound = (what = '资源', code = 'not_found') => new AppError(404, code, `${what}不存在 / not found`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

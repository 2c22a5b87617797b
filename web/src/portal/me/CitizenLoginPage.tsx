import { IdcardOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { idNumberProblem, normalizeIdNumber } from '../../../../common/id-number';
import { ApiError } from '../../api/client';
import { citizenAuth, CitizenApiError, storedCitizen } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { localMessage } from './format';
import { CitizenTheme, useCountdown } from './parts';

interface SignInFields {
  idNumber: string;
  name: string;
  phone: string;
  code: string;
}

const PHONE = /^1\d{10}$/;
const CODE = /^\d{6}$/;
const CODE_COOLDOWN_SECONDS = 60;

/**
 * While a number is typed: a non-digit is wrong at once, the whole pattern is checked once it is
 * long enough; an error from leaving the field clears as soon as the number is put right.
 */
function digitsWhileTyping(length: number, pattern: RegExp, message: string) {
  return async (_: unknown, value: string | undefined) => {
    const text = value ?? '';
    if (/\D/.test(text) || (text.length >= length && !pattern.test(text))) throw new Error(message);
  };
}

/** Only a path inside 我的社保 is followed after sign-in: the return path comes from the address bar. */
function safeReturnPath(next: string | null) {
  return next && /^\/me(\/|$|\?)/.test(next) ? next : '/me';
}

/**
 * 我的社保 sign-in: ID number (checked as it is typed, check digit included), name, phone and an
 * SMS code. One message for every mismatch, as the server gives one answer for all of them.
 */
export function CitizenLoginPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<SignInFields>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get('next'));
  const countdown = useCountdown();
  const [isSending, setSending] = useState(false);
  const [isSigningIn, setSigningIn] = useState(false);
  const [notice, setNotice] = useState<{ type: 'success' | 'error' | 'warning'; text: string } | null>(params.get('expired') ? { type: 'warning', text: t('me.login.expired') } : null);

  useEffect(() => {
    document.title = `${t('me.login.title')} · ${t('app.name')}`;
  }, [t]);

  if (storedCitizen()) return <Navigate to={next} replace />;

  const describe = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'network') return t('me.error.network');
    return localMessage(err instanceof Error ? err.message : String(err), lang);
  };

  const sendCode = async () => {
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    const phone = form.getFieldValue('phone') as string;
    setSending(true);
    try {
      const sent = await citizenAuth.sendCode(phone);
      countdown.start(CODE_COOLDOWN_SECONDS);
      setNotice({ type: 'success', text: t('me.login.codeSent', { phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, minutes: Math.round(sent.expiresInSeconds / 60) }) });
    } catch (err) {
      if (err instanceof CitizenApiError && err.status === 429) {
        const wait = err.retryAfterSeconds ?? CODE_COOLDOWN_SECONDS;
        countdown.start(wait);
        setNotice({ type: 'warning', text: t('me.login.tooFrequent', { n: wait }) });
      } else setNotice({ type: 'error', text: describe(err) });
    } finally {
      setSending(false);
    }
  };

  const signIn = async (fields: SignInFields) => {
    setSigningIn(true);
    setNotice(null);
    try {
      await citizenAuth.login({ idNumber: normalizeIdNumber(fields.idNumber), name: fields.name.trim(), phone: fields.phone, code: fields.code });
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_credentials') setNotice({ type: 'error', text: t('me.login.invalid') });
      else if (err instanceof ApiError && err.code === 'invalid_id_number') form.setFields([{ name: 'idNumber', errors: [describe(err)] }]);
      else setNotice({ type: 'error', text: describe(err) });
    } finally {
      setSigningIn(false);
    }
  };

  /** The whole check, on leaving the field and on submit. */
  const checkIdNumber = async (_: unknown, value: string | undefined) => {
    const id = normalizeIdNumber(value ?? '');
    if (!id) throw new Error(t('me.login.idNumber.required'));
    const problem = idNumberProblem(id);
    if (problem) throw new Error(/^\d{17}[\dX]$/.test(id) ? problem[lang] : t('me.login.idNumber.length', { n: id.length }));
  };
  /** While typing: a wrong character at once, the rest once all 18 are there (not on every key before). */
  const checkIdNumberTyping = async (_: unknown, value: string | undefined) => {
    const id = normalizeIdNumber(value ?? '');
    if (/[^\dX]/.test(id) || /X./.test(id)) throw new Error(t('me.login.idNumber.characters'));
    if (id.length >= 18) await checkIdNumber(_, value);
  };

  return (
    <CitizenTheme>
      <section className="zx-me-login" aria-labelledby="me-login-heading" data-testid="me-login">
        <h1 id="me-login-heading">
          <IdcardOutlined aria-hidden style={{ color: '#1456b8', marginInlineEnd: 10 }} />
          {t('me.login.title')}
        </h1>
        <p className="zx-me-muted">{t('me.login.intro')}</p>
        <div className="zx-me-card">
          <Form<SignInFields> form={form} name="me-login" layout="vertical" size="large" requiredMark={false} onFinish={signIn} validateTrigger={['onChange', 'onBlur']}>
            <Form.Item
              name="idNumber"
              validateFirst
              label={t('me.login.idNumber')}
              rules={[
                { validateTrigger: 'onChange', validator: checkIdNumberTyping },
                { validateTrigger: 'onBlur', validator: checkIdNumber },
              ]}
              extra={t('me.login.idNumber.hint')}
            >
              <Input
                autoComplete="off"
                spellCheck={false}
                maxLength={22}
                count={{ show: true, max: 18, strategy: (text) => normalizeIdNumber(text).length }}
                placeholder={t('me.login.idNumber.placeholder')}
                data-testid="me-login-id"
              />
            </Form.Item>
            <Form.Item name="name" label={t('me.login.name')} rules={[{ required: true, whitespace: true, message: t('me.login.name.required') }]}>
              <Input autoComplete="name" maxLength={50} data-testid="me-login-name" />
            </Form.Item>
            <Form.Item
              name="phone"
              validateFirst
              label={t('me.login.phone')}
              rules={[
                { validateTrigger: 'onChange', validator: digitsWhileTyping(11, PHONE, t('me.login.phone.invalid')) },
                { validateTrigger: 'onBlur', pattern: PHONE, required: true, message: t('me.login.phone.invalid') },
              ]}
            >
              <Input type="tel" inputMode="numeric" autoComplete="tel" maxLength={11} data-testid="me-login-phone" />
            </Form.Item>
            <Form.Item label={t('me.login.code')} htmlFor="me-login_code" style={{ marginBottom: 8 }}>
              <div className="zx-me-code-row">
                <Form.Item
                  name="code"
                  noStyle
                  validateFirst
                  rules={[
                    { validateTrigger: 'onChange', validator: digitsWhileTyping(6, CODE, t('me.login.code.invalid')) },
                    { validateTrigger: 'onBlur', pattern: CODE, required: true, message: t('me.login.code.invalid') },
                  ]}
                >
                  <Input
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    data-testid="me-login-code"
                  />
                </Form.Item>
                <Button onClick={sendCode} loading={isSending} disabled={countdown.left > 0} data-testid="me-login-send-code" aria-live="polite">
                  {countdown.left > 0 ? t('me.login.resendIn', { n: countdown.left }) : t('me.login.sendCode')}
                </Button>
              </div>
            </Form.Item>
            <p className="zx-me-small zx-me-muted" style={{ marginTop: 8 }}>{t('me.login.codeHint')}</p>
            {notice && <Alert type={notice.type} showIcon title={notice.text} style={{ marginBottom: 16 }} data-testid="me-login-notice" />}
            <Button type="primary" htmlType="submit" block loading={isSigningIn} data-testid="me-login-submit" style={{ height: 52, fontSize: 20 }}>
              {t('me.login.submit')}
            </Button>
          </Form>
        </div>
        <p className="zx-me-muted">{t('me.login.help')}</p>
      </section>
    </CitizenTheme>
  );
}

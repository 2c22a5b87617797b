import { LogoutOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { Suspense, useEffect, useRef, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { citizenAuth, setCitizenSignedOutHandler, setStepUpHandler, storedCitizen } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { CitizenTheme, Loading } from './parts';
import { StepUpModal } from './StepUpModal';

/** Where to sign in again, coming back here afterwards. */
function signInPath(path: string, isExpired = false) {
  return `/me/login?next=${encodeURIComponent(path)}${isExpired ? '&expired=1' : ''}`;
}

/**
 * The signed-in part of 我的社保: without a citizen token it sends to the sign-in page; it asks for
 * a step-up SMS code when records need one, and offers signing out here or on every device.
 */
export function CitizenArea() {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const citizen = storedCitizen();
  const [stepUp, setStepUp] = useState<{ resolve: (isVerified: boolean) => void } | null>(null);
  const here = useRef('');
  here.current = location.pathname + location.search;

  useEffect(() => {
    setStepUpHandler(() => new Promise<boolean>((resolve) => setStepUp({ resolve })));
    setCitizenSignedOutHandler(() => navigate(signInPath(here.current, true), { replace: true }));
    return () => {
      setStepUpHandler(null);
      setCitizenSignedOutHandler(null);
    };
  }, [navigate]);

  if (!citizen) return <Navigate to={signInPath(here.current)} replace />;

  const signOut = async (everywhere: boolean) => {
    try {
      await citizenAuth.logout(everywhere);
    } catch {
      /* the token is dropped whatever the server says: this tab is signed out */
    }
    message.success(t('me.loggedOut'));
    navigate('/me/login', { replace: true });
  };

  const confirmEverywhere = () =>
    modal.confirm({
      title: t('me.logoutEverywhere.confirmTitle'),
      content: t('me.logoutEverywhere.confirmText'),
      okText: t('me.logoutEverywhere.ok'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, size: 'large' },
      cancelButtonProps: { size: 'large' },
      onOk: () => signOut(true),
    });

  return (
    <CitizenTheme>
      <div className="zx-me-bar" data-testid="me-bar">
        <div className="zx-me-bar-who">
          <strong>{t('me.greeting', { name: citizen.person.name })}</strong>
          <div className="zx-me-small zx-me-muted">{t('me.signedInAs', { id: citizen.person.idNumberMasked })}</div>
        </div>
        <div className="zx-me-bar-actions">
          <Button icon={<LogoutOutlined aria-hidden />} onClick={() => signOut(false)} data-testid="me-logout">
            {t('me.logout')}
          </Button>
          <Button onClick={confirmEverywhere} data-testid="me-logout-everywhere">
            {t('me.logoutEverywhere')}
          </Button>
        </div>
      </div>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
      <StepUpModal
        isOpen={!!stepUp}
        phoneMasked={citizen.person.phoneMasked}
        onDone={(isVerified) => {
          stepUp?.resolve(isVerified);
          setStepUp(null);
        }}
      />
    </CitizenTheme>
  );
}

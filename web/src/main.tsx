import './shell/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './shell/App';
import './shell/elder-mode'; // sets <html class="zx-elder"> before the first paint when it was on
import './styles.css';

// Screen readers pick their voice from <html lang>: the saved language, before anything is read.
try {
  if (localStorage.getItem('zhixun.lang') === 'en') document.documentElement.lang = 'en';
} catch {
  /* storage blocked: the page's zh-CN stays */
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

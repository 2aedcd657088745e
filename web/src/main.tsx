import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import './i18n';
import { App } from './App';
import './styles.css';

/** Re-renders the whole app when the language changes, so dates and numbers formatted outside t() follow too. */
function Root() {
  const { i18n } = useTranslation();
  return <App key={i18n.language} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

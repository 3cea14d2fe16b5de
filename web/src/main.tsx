import { createRoot } from 'react-dom/client';
import { App } from './App';
import { I18nProvider } from './i18n';
import { SessionProvider } from './session';
// The dossier's face (web/src/styles.css, .dossier): served with the UI in unicode-range slices, so a print of it
// is the same and searchable on every machine (see the README's dependency table).
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>,
  );
}

// Keeps <html lang> on the reader's language, wrapped for Reflex by ui/components/html_lang.py.
// The compiled pages say lang="fr"; screen readers read the page in the language this attribute names.
// A component rather than rx.call_script: that one runs its text through eval, which the
// Content-Security-Policy (ui/security_headers.py) does not allow.
import { useEffect } from "react";

export function HtmlLang({ lang }) {
  useEffect(() => {
    if (lang) {
      document.documentElement.lang = lang;
    }
  }, [lang]);
  return null;
}

// The scanning session's feedback (ui/components/scan_feedback.py): a short beep (WebAudio, no file) and a
// vibration where the phone has one, each time the server's verdict on a label changes `signal`
// ("<n>:ok" for a device ticked off, "<n>:flag" for one unexpected or scanned twice). No eval, no script
// from the server: the verdict arrives as a prop, so the page's CSP holds.
import { useEffect, useRef } from "react";

export function ScanFeedback({ signal }) {
  const audio = useRef(null);
  useEffect(() => {
    if (!signal) return;
    const ok = signal.endsWith(":ok");
    try {
      if (navigator.vibrate) navigator.vibrate(ok ? 80 : [70, 60, 70]);
    } catch (e) {
      // no vibration here: the list on the page says it all the same
    }
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      const ctx = audio.current || (audio.current = new Context());
      if (ctx.state === "suspended") ctx.resume();
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = ok ? 880 : 220;
      gain.gain.value = 0.2;
      tone.connect(gain);
      gain.connect(ctx.destination);
      tone.start();
      tone.stop(ctx.currentTime + (ok ? 0.12 : 0.4));
    } catch (e) {
      // no sound here either
    }
  }, [signal]);
  return <span className="scan-feedback" data-signal={signal} hidden />;
}

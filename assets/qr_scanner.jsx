// The camera QR reader behind /scan, wrapped for Reflex by ui/components/qr_scanner.py.
// @zxing/browser decodes frames of the camera stream in JavaScript (no BarcodeDetector needed, so it also
// works in Firefox and in Chromium on Linux). Each new text read is passed to `onScan`; the server decides
// what it means, so a QR that is not a Seconde Vie label never navigates anywhere by itself.
import { useEffect, useRef, useState } from "react";
import { BrowserQRCodeReader } from "@zxing/browser";

const SAME_TEXT_PAUSE_MS = 3000; // a label held in front of the camera is read many times a second

export function QrScanner({ onScan, videoLabel, startingText, runningText, unavailableText }) {
  const videoRef = useRef(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const [status, setStatus] = useState("starting");

  useEffect(() => {
    let controls = null;
    let cancelled = false;
    let last = { text: "", at: 0 };
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      setStatus("unavailable");
      return undefined;
    }
    const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: 150 });
    reader
      .decodeFromConstraints(
        { audio: false, video: { facingMode: "environment" } },
        videoRef.current,
        (result) => {
          if (!result) return;
          const text = result.getText();
          const now = Date.now();
          if (text === last.text && now - last.at < SAME_TEXT_PAUSE_MS) return;
          last = { text, at: now };
          if (onScanRef.current) onScanRef.current(text);
        },
      )
      .then((c) => {
        if (cancelled) c.stop();
        else {
          controls = c;
          setStatus("running");
        }
      })
      .catch(() => {
        if (!cancelled) setStatus("unavailable");
      });
    return () => {
      cancelled = true;
      if (controls) controls.stop();
    };
  }, []);

  const message = status === "running" ? runningText : status === "unavailable" ? unavailableText : startingText;
  return (
    <div className="scanner" data-status={status}>
      <video
        ref={videoRef}
        className="scanner-video"
        aria-label={videoLabel}
        muted
        playsInline
        hidden={status === "unavailable"}
      />
      <p className="scanner-status" role="status">{message}</p>
    </div>
  );
}

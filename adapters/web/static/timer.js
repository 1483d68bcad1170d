// 述职计时: the countdown of the room's timer, computed here from the server's start instant
// (data-started-ms) and the limit (data-limit-s). The server's clock at page load
// (data-server-ms) corrects a room computer whose own clock is wrong. htmx refreshes the
// state every few seconds (who presents, since when); this file only counts.
// It rings (Web Audio, no sound file) and marks the clock at 1 minute left and at 0.
(function () {
  "use strict";
  var WARN_AT = 60;
  var skew = null;
  var audio = null;
  var rung = {};

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    var s = Math.abs(seconds);
    return sign + pad(Math.floor(s / 60)) + ":" + pad(s % 60);
  }

  function beep(times) {
    if (!audio) { return; }
    var start = audio.currentTime + 0.05;
    for (var i = 0; i < times; i += 1) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var at = start + i * 0.45;
      osc.type = "sine";
      osc.frequency.value = times > 1 ? 988 : 880;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.32);
    }
  }

  function ring(key, times) {
    if (rung[key]) { return; }
    rung[key] = true;
    beep(times);
  }

  function tick() {
    var box = document.getElementById("timer-state");
    if (!box) { return; }
    var clock = box.querySelector(".clock");
    var limit = Number(box.getAttribute("data-limit-s")) || 0;
    var started = box.getAttribute("data-started-ms");
    if (skew === null) {
      skew = (Number(box.getAttribute("data-server-ms")) || Date.now()) - Date.now();
    }
    var left = limit;
    var running = box.getAttribute("data-running") === "1" && started;
    if (running) {
      left = limit - Math.floor((Date.now() + skew - Number(started)) / 1000);
    }
    clock.textContent = format(left);
    // The marks go on the face around the state, which htmx never swaps.
    var face = document.getElementById("timer-face") || box;
    face.classList.toggle("warn", Boolean(running) && left <= WARN_AT && left > 0);
    face.classList.toggle("over", Boolean(running) && left <= 0);
    if (running && left <= WARN_AT && left > WARN_AT - 5) { ring(started + ":warn", 1); }
    if (running && left <= 0 && left > -5) { ring(started + ":over", 3); }
    if (running && left <= WARN_AT) { rung[started + ":warn"] = true; }
    if (running && left <= 0) { rung[started + ":over"] = true; }
  }

  function soundOn(button) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    if (!audio) { audio = new Context(); }
    audio.resume();
    button.setAttribute("aria-pressed", "true");
    button.textContent = "提示音已开启";
    beep(1);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var sound = target.closest("[data-sound]");
    if (sound) { soundOn(sound); }
    if (target.closest("[data-fullscreen]")) {
      var room = document.querySelector(".room") || document.documentElement;
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (room.requestFullscreen) { room.requestFullscreen(); }
    }
  });
  document.addEventListener("htmx:afterSwap", tick);
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 250);
}());

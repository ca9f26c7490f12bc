// The add-reports page: send the form with the same-origin CSRF header, then poll the job.
"use strict";

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function show(job) {
  const box = document.getElementById("job");
  box.hidden = false;
  const status = document.getElementById("job-status");
  const bar = document.getElementById("job-progress");
  let line = job.status + (job.stage ? " · " + job.stage : "");
  if (job.total) line += " (" + job.done + "/" + job.total + ")";
  if (job.status === "done") line = "Done: read " + job.articles_read + " report(s), " + job.new_articles + " new.";
  if (job.status === "failed") line = "Failed: " + (job.error || "unknown error");
  status.textContent = line;
  status.dataset.state = job.status;
  if (job.total) { bar.max = job.total; bar.value = job.done; } else { bar.removeAttribute("value"); }
  const problems = document.getElementById("job-problems");
  problems.replaceChildren(...(job.problems || []).map((p) => el("li", "skipped " + p)));
  const stories = document.getElementById("job-stories");
  stories.replaceChildren(...(job.stories || []).map((s) => {
    const li = el("li");
    li.append(el("a", s.title || "(untitled)", { href: "/stories/" + encodeURIComponent(s.story_key), class: "new-story" }));
    li.append(" · " + s.n_articles + " report(s)");
    return li;
  }));
}

async function poll(id) {
  for (;;) {
    const response = await fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" });
    const job = await response.json();
    if (!response.ok) { show({ status: "failed", error: job.detail }); return; }
    show(job);
    if (job.status === "done" || job.status === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector("button");
  button.disabled = true;
  show({ status: "uploading", stage: "" });
  try {
    const response = await fetch("/api/jobs", {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Storyline-CSRF": "1" },
      credentials: "same-origin",
    });
    const body = await response.json();
    if (!response.ok) { show({ status: "failed", error: body.detail }); return; }
    show(body);
    await poll(body.id);
    form.reset();
  } catch (err) {
    show({ status: "failed", error: String(err) });
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-job]")) form.addEventListener("submit", submit);
});

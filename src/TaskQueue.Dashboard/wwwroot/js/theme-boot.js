// Runs before first paint (a classic script in <head>): applies the theme chosen with the toggle, if any.
// Without a choice the page follows prefers-color-scheme through CSS alone.
try {
  const theme = localStorage.getItem('taskqueue.theme');
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
} catch { /* storage may be blocked: the system theme applies */ }

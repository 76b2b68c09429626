// Coursedock activity styling for the classic notebook (Jupyter Notebook 6), after the OU
// course materials ("Activities and Answer Reveals"): teaching text is plain; an activity is
// set on a coloured background; the cells where the student answers are a lighter shade; the
// course team's answer is hidden behind an "Answer" button that reveals it.
//
// A cell's role is its metadata `"activity": "activity" | "student" | "answer"`, or a tag of
// the same name (`"tags": ["answer"]`). Answers may be markdown (rendered as usual, just
// hidden) or code. Nothing is written back into the notebook: a reopened notebook shows its
// answers hidden again. Authors set roles with View > Cell Toolbar > Activities.
define([
  'require',
  'jquery',
  'base/js/namespace',
  'base/js/events',
  'notebook/js/celltoolbar',
], function (requirejs, $, Jupyter, events, celltoolbar) {
  'use strict';

  var ROLES = ['activity', 'student', 'answer'];
  var ROLE_CLASSES = 'cd-activity cd-student cd-answer';

  function roleOf(cell) {
    var md = cell.metadata || {};
    if (typeof md.activity === 'string' && ROLES.indexOf(md.activity) >= 0) return md.activity;
    var tags = Array.isArray(md.tags) ? md.tags : [];
    // "answer" first: a cell tagged both ways must stay hidden.
    for (var i = ROLES.length - 1; i >= 0; i--) {
      if (tags.indexOf(ROLES[i]) >= 0) return ROLES[i];
    }
    return null;
  }

  function setShown(cell, shown) {
    var el = cell.element;
    el.toggleClass('cd-answer-hidden', !shown);
    el.children('.cd-answer-bar').children('.cd-answer-button')
      .text(shown ? 'Hide answer' : 'Answer')
      .attr('aria-expanded', shown ? 'true' : 'false');
    // CodeMirror measures nothing while display:none; redraw a revealed code answer.
    if (shown && cell.code_mirror) cell.code_mirror.refresh();
  }

  function styleCell(cell) {
    var el = cell && cell.element;
    if (!el) return;
    var role = roleOf(cell);
    el.removeClass(ROLE_CLASSES);
    if (role) el.addClass('cd-' + role);
    var bar = el.children('.cd-answer-bar');
    if (role !== 'answer') {
      bar.remove();
      el.removeClass('cd-answer-hidden');
      return;
    }
    if (bar.length) return; // already set up: keep it shown or hidden as the student left it
    var button = $('<button type="button" class="btn btn-default btn-sm cd-answer-button"/>')
      .attr('title', 'Show or hide the answer');
    button.on('click', function (ev) {
      ev.preventDefault();
      ev.stopPropagation();
      setShown(cell, el.hasClass('cd-answer-hidden'));
    });
    el.prepend($('<div class="cd-answer-bar"/>').append(button));
    setShown(cell, false);
  }

  function styleAll() {
    Jupyter.notebook.get_cells().forEach(styleCell);
  }

  function loadCss() {
    if ($('link#coursedock-activities-css').length) return;
    $('<link/>', {
      id: 'coursedock-activities-css',
      rel: 'stylesheet',
      type: 'text/css',
      href: requirejs.toUrl('./main.css'),
    }).appendTo('head');
  }

  function registerToolbar() {
    var CellToolbar = celltoolbar.CellToolbar;
    var select = CellToolbar.utils.select_ui_generator(
      [
        ['(none)', ''],
        ['Activity', 'activity'],
        ['Student response', 'student'],
        ['Answer (hidden)', 'answer'],
      ],
      function (cell, value) {
        if (value) cell.metadata.activity = value;
        else delete cell.metadata.activity;
        styleCell(cell);
        Jupyter.notebook.set_dirty(true);
      },
      function (cell) {
        return cell.metadata.activity || '';
      },
      'Activity',
    );
    CellToolbar.register_callback('coursedock.activity', select);
    CellToolbar.register_preset('Activities', ['coursedock.activity'], Jupyter.notebook);
  }

  function load_ipython_extension() {
    loadCss();
    registerToolbar();
    events.on('notebook_loaded.Notebook', styleAll);
    events.on('create.Cell', function (ev, data) {
      styleCell(data.cell);
    });
    // Roles edited through Edit > Edit Notebook Metadata or a cell type change show on selection.
    events.on('select.Cell', function (ev, data) {
      styleCell(data.cell);
    });
    if (Jupyter.notebook && Jupyter.notebook._fully_loaded) styleAll();
  }

  return {
    load_ipython_extension: load_ipython_extension,
    // For tests and authors' consoles.
    roleOf: roleOf,
    styleAll: styleAll,
  };
});

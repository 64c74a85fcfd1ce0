"""The planning profile in the panel: which profile is used, its text, its problems, saving it.

Owns the profile choice on the Check tab (``profileCombo``, ``profilePathEdit``,
``profileBrowseButton``) and the Profile tab (the YAML editor ``profileEdit``, the problems
``profileErrors``, the save buttons, and the tree of ``profile_tree.py``). It changes the
profile in the project state it is given and says so with ``changed`` (the dock then marks
the project as changed and forgets the agency layers live mode read for the old profile).
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QFileDialog

from ..core.profile import DEFAULT_PROFILE_PATH, ProfileError
from ..core.profile_load import parse_profile, read_profile_bytes
from ..i18n import tr
from .profile_text import set_value
from .profile_tree import ProfileTree

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

ERROR_STYLE = "color: #b2182b;"


class ProfileTab(QObject):
    """The profile's widgets over ``state()`` (the dock's current ProjectState)."""

    changed = pyqtSignal()

    def __init__(self, form, state, dialog_parent=None):
        super().__init__(dialog_parent)
        self.form = form
        self._state = state
        self._dialog_parent = dialog_parent
        self._updating = False
        self.tree = ProfileTree(form, self)
        form.profileCombo.addItem(tr("Default profile (Sweden)"), "default")
        form.profileCombo.addItem(tr("Profile file"), "file")
        form.profileCombo.addItem(tr("The project's profile"), "project")
        form.profileCombo.currentIndexChanged.connect(self._on_mode_chosen)
        form.profileBrowseButton.clicked.connect(self.browse_file)
        form.saveProfileButton.clicked.connect(self.save_to_project)
        form.saveProfileAsButton.clicked.connect(self.save_as_dialog)
        self.tree.value_edited.connect(self._on_value_edited)
        self.tree.value_rejected.connect(self._on_value_rejected)

    @property
    def state(self):
        return self._state()

    def text_in_effect(self) -> str:
        """The project's profile text, or the default profile's."""
        if self.state.profile_yaml.strip():
            return self.state.profile_yaml
        return DEFAULT_PROFILE_PATH.read_text(encoding="utf-8")

    # ------------------------------------------------------------------ showing
    def show_state(self) -> None:
        """The state's choice of profile, its path, its text and tree."""
        self._select_mode(self.state.profile_mode)
        self.form.profilePathEdit.setText(self.state.profile_path)
        self.show_profile()

    def show_profile(self) -> None:
        """The profile in effect: its text in the editor, its sectors and rules in the tree."""
        self.form.profileEdit.setPlainText(self.text_in_effect())
        self.form.profileErrors.clear()
        try:
            profile = self.state.profile()
        except ProfileError as error:
            self.show_problems(error)
            self.tree.clear()
            return
        self.tree.fill(profile, self.state.profile_label())

    def show_tree_from_editor(self) -> None:
        """Refill the tree from the editor's text (when it parses)."""
        try:
            profile = parse_profile(self.form.profileEdit.toPlainText(), self.state.profile_label())
        except ProfileError as error:
            self.show_problems(error)
            return
        self.tree.fill(profile, self.state.profile_label())

    def show_problems(self, error: ProfileError) -> None:
        self.form.profileErrors.setPlainText("\n".join(str(problem) for problem in error.problems))
        self.form.profileErrors.setStyleSheet(ERROR_STYLE)

    def _say(self, text: str, style: str | None = None) -> None:
        if style is not None:
            self.form.profileErrors.setStyleSheet(style)
        self.form.profileErrors.setPlainText(text)

    # ------------------------------------------------------------------ the tree's edits
    def _on_value_rejected(self, message: str) -> None:
        self._say(message, ERROR_STYLE)
        QTimer.singleShot(0, self.show_tree_from_editor)  # not while the item is in use

    def _on_value_edited(self, path: tuple, text: str) -> None:
        """A weight or severity changed in the tree: write it into the YAML text (saved later)."""
        import yaml  # not at the top: the plugin loads without PyYAML (see dependencies.py)

        try:
            updated = set_value(self.form.profileEdit.toPlainText(), path, text)
        except (ValueError, yaml.YAMLError) as error:  # the text in the editor no longer parses
            self._say(str(error))
            return
        self.form.profileEdit.setPlainText(updated)
        self._say(tr("Changed in the text; save to use it."), "")
        QTimer.singleShot(0, self.show_tree_from_editor)  # not while the item is in use

    # ------------------------------------------------------------------ choosing
    def _on_mode_chosen(self, _index) -> None:
        if self._updating:
            return
        mode = self.form.profileCombo.currentData()
        if mode == "default":
            self.state.use_default_profile()
        elif mode == "file":
            if self.state.profile_mode != "file" and not self.browse_file():
                self._select_mode(self.state.profile_mode)
                return
        elif mode == "project" and self.state.profile_mode != "project":
            self.state.set_profile_text(self.text_in_effect(), "project")
        self.form.profilePathEdit.setText(self.state.profile_path)
        self.show_profile()
        self.changed.emit()

    def _select_mode(self, mode: str) -> None:
        self._updating = True
        try:
            self.form.profileCombo.setCurrentIndex(max(0, self.form.profileCombo.findData(mode)))
        finally:
            self._updating = False

    def browse_file(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self._dialog_parent,
            tr("Choose a planning profile"),
            self.state.profile_path,
            tr("Planning profiles (*.yaml *.yml)"),
        )
        return bool(path) and self.choose_file(path)

    def choose_file(self, path: str) -> bool:
        """Use a profile file (its text is kept in the project too); False with the problems shown."""
        try:
            # bounded, ordinary files only (/dev/zero or a pipe would hang the desktop); the
            # bytes parsed first so a binary or non-UTF-8 file is named with its line
            data = read_profile_bytes(path)
            parse_profile(data, str(path))
            text = data.decode("utf-8-sig")
            self.state.set_profile_text(text, "file", str(path))
        except OSError as error:
            self._say(
                tr("The profile {path} could not be read ({reason}).").format(
                    path=path, reason=error.strerror
                )
            )
            return False
        except (ProfileError, UnicodeDecodeError) as error:
            if isinstance(error, ProfileError):
                self.show_problems(error)
            else:
                self._say(tr("The profile is not UTF-8 text."))
            self.form.tabs.setCurrentWidget(self.form.tabProfile)
            return False
        self._select_mode("file")
        self.form.profilePathEdit.setText(str(path))
        self.show_profile()
        self.changed.emit()
        return True

    # ------------------------------------------------------------------ saving
    def save_to_project(self) -> bool:
        """Validate the edited text; keep it as the project's profile, or show every problem."""
        try:
            profile = self.state.set_profile_text(self.form.profileEdit.toPlainText(), "project")
        except ProfileError as error:
            self.show_problems(error)
            return False
        self._say(tr("Saved in the project: {name}").format(name=profile.name), "")
        self._select_mode("project")
        self.form.profilePathEdit.setText("")
        self.tree.fill(profile, self.state.profile_label())
        self.changed.emit()
        return True

    def save_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._dialog_parent, tr("Save the planning profile"), "", tr("Planning profiles (*.yaml *.yml)")
        )
        if path:
            self.save_as(path)

    def save_as(self, path: str) -> bool:
        text = self.form.profileEdit.toPlainText()
        try:
            self.state.set_profile_text(text, "file", path)
        except ProfileError as error:
            self.show_problems(error)
            return False
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as error:
            self._say(
                tr("The profile {path} could not be written ({reason}).").format(
                    path=path, reason=error.strerror
                )
            )
            return False
        return self.choose_file(path)

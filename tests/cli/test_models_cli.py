"""`coach-app models list | import | remove | install` from the command line, with real model folders and zips."""

import json
import zipfile

from model_trees import write_tiny_model, zip_folder

from coach_app.cli import main


def test_list_with_nothing_installed_points_to_install(capsys):
    """`models list` with no model says how to get one and lists the catalogue."""
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "No speech model installed. Run `coach-app models install vosk-model-small-en-us-0.15`" in out
    assert "vosk-model-en-us-0.22-lgraph" in out


def test_import_list_remove_round_trip(tmp_path, capsys):
    """Import a model zip with a progress line, see it in `list --json` as the default, then remove it."""
    archive = zip_folder(write_tiny_model(tmp_path / "m", 3 << 20), tmp_path / "x.zip", "vosk-model-small-en-us-0.15")
    assert main(["models", "import", str(archive)]) == 0
    captured = capsys.readouterr()
    assert "Installed vosk-model-small-en-us-0.15" in captured.out
    assert "100% (Installed vosk-model-small-en-us-0.15)" in captured.err and "Unpacking x.zip" in captured.err
    assert main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["source"], m["default"]) for m in listed["models"]] == [
        ("vosk-model-small-en-us-0.15", "installed", True)
    ]
    assert listed["catalogue"][0]["name"] == "vosk-model-small-en-us-0.15"
    assert main(["models", "list"]) == 0
    assert "(default)" in capsys.readouterr().out
    assert main(["models", "remove", "vosk-model-small-en-us-0.15"]) == 0
    assert capsys.readouterr().out.startswith("Removed vosk-model-small-en-us-0.15")
    assert main(["models", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["models"] == []


def test_import_folder_with_a_chosen_name(tmp_path, capsys):
    """`models import FOLDER --name NAME` installs an unpacked folder under that name."""
    folder = write_tiny_model(tmp_path / "model")
    assert main(["models", "import", str(folder), "--name", "my-english"]) == 0
    assert "Installed my-english" in capsys.readouterr().out


def test_unknown_install_name_lists_the_catalogue(capsys):
    """`models install` with an unknown name fails with exit 2 and lists the names that exist, without going online."""
    assert main(["models", "install", "vosk-model-klingon"]) == 2
    err = capsys.readouterr().err
    assert "no model called 'vosk-model-klingon'" in err and "vosk-model-small-en-us-0.15 (en-us, 40 MB)" in err
    assert "Traceback" not in err


def test_bad_import_is_one_clear_line(tmp_path, capsys):
    """Importing a zip with ../ paths or a missing file exits 2 with a one-line message and no traceback."""
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../../evil.sh", "rm -rf /")
    assert main(["models", "import", str(archive)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coach-app: ") and "unsafe path" in err and err.count("\n") == 1
    assert main(["models", "import", str(tmp_path / "nowhere.zip")]) == 2
    assert "nowhere.zip does not exist" in capsys.readouterr().err
    assert main(["models", "remove", "nothing"]) == 2
    assert "No installed model is called nothing" in capsys.readouterr().err

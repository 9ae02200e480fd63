; Inno Setup script of the Windows installer (Inno Setup 6: https://jrsoftware.org/isinfo.php).
; It packs the PyInstaller bundle that installer/encoder-app.spec builds on Windows into one
; setup program: a per-user install (no administrator rights), a Start menu entry, an optional
; desktop icon, and an uninstaller that keeps the user's database. Steps: installer/README.md.
; Build, from the installer folder:  iscc windows\encoder-app.iss  ->  dist\encoder-app-setup-<version>.exe
; Keep AppVersion equal to pyproject.toml's version (tests/test_installer.py checks it).

#define AppName "Encoder"
#define AppVersion "0.1.0"
#define AppExe "encoder-app.exe"

[Setup]
AppId={{6F3B2A3E-5C1D-4E0B-9A57-3C2E8D1B7F40}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=encoder-app
DefaultDirName={localappdata}\Programs\encoder-app
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=encoder-app-setup-{#AppVersion}
SetupIconFile=..\build\encoder-app.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder: encoder-app.exe and _internal\ (Python, Qt, the codebook data).
Source: "..\dist\encoder-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes {app} only. The database, encounters and logs live in the user's data
; folder (%LOCALAPPDATA%\encoder-app), which it keeps, as the Linux uninstall.sh does.

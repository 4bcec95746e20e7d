; Inno Setup script for Clinic Desk on Windows.
; Build on Windows after packaging\build.ps1 has made build\dist\clinic-desk:
;   iscc /DAppVersion=0.1.0 packaging\clinic-desk.iss
; The installer puts the one-folder program under Program Files, adds a Start menu entry and
; never touches the clinic's data (it lives in %LOCALAPPDATA%\ClinicDesk).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6E2B7C1A-3F4D-4B8E-9C1A-7D2E5F8A9B10}
AppName=Clinic Desk
AppVersion={#AppVersion}
AppPublisher=Clinic Desk
DefaultDirName={autopf}\Clinic Desk
DefaultGroupName=Clinic Desk
OutputDir=..\build\installer
OutputBaseFilename=ClinicDesk-{#AppVersion}-setup
SetupIconFile=icons\clinic-desk.ico
UninstallDisplayIcon={app}\clinic-desk.exe
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
WizardStyle=modern

[Languages]
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"

[Tasks]
Name: "desktopicon"; Description: "Skapa en genväg på skrivbordet"; Flags: unchecked

[Files]
Source: "..\build\dist\clinic-desk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Clinic Desk"; Filename: "{app}\clinic-desk.exe"
Name: "{group}\Clinic Desk – demoklinik"; Filename: "{app}\clinic-desk.exe"; Parameters: "--demo"
Name: "{autodesktop}\Clinic Desk"; Filename: "{app}\clinic-desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\clinic-desk.exe"; Description: "Starta Clinic Desk"; Flags: nowait postinstall skipifsilent

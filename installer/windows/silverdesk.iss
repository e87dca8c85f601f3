; Inno Setup script: per-user installer of the PyInstaller folder dist\silverdesk
#define AppVersion "0.1.0"

[Setup]
AppId={{6C1F3D2A-7B7E-4E8B-9E54-5D3B2C1A0F10}
AppName=银龄志愿服务管理 silverdesk
AppVersion={#AppVersion}
DefaultDirName={localappdata}\Programs\silverdesk
DefaultGroupName=silverdesk
PrivilegesRequired=lowest
OutputBaseFilename=silverdesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\..\dist\silverdesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\银龄志愿服务管理"; Filename: "{app}\silverdesk.exe"
Name: "{userdesktop}\银龄志愿服务管理"; Filename: "{app}\silverdesk.exe"

[Run]
Filename: "{app}\silverdesk.exe"; Description: "启动 silverdesk"; Flags: nowait postinstall skipifsilent

<#
.SYNOPSIS
    rackdeck-agent: the Windows heartbeat agent of Rackdeck.

.DESCRIPTION
    Every run measures this machine once and POSTs it to Rackdeck's agent receiver:
    hostname, Proxmox VM id and node (if set), CPU % (two reads of the processor's raw
    performance counters), RAM used/total, disk used/total of the system drive, uptime and a
    timestamp. A scheduled task runs it every 30 s; when the heartbeats stop, Rackdeck marks
    the machine down and (if enabled for it) resets the hung VM through Proxmox.

    Windows PowerShell 5.1 or later; uses only Get-CimInstance and Invoke-RestMethod.

    Configuration: C:\ProgramData\Rackdeck\rackdeck-agent.conf (readable by SYSTEM and
    Administrators only), KEY=value lines, the same format as the Linux agent:
        URL=http://192.168.1.10:7374
        KEY=rdk_...
        VMID=105        (optional)
        NODE=pve1       (optional)
    The environment variables URL, KEY, VMID and NODE override the file.

.EXAMPLE
    # As Administrator: copy the script, write the config, register the task.
    .\rackdeck-agent.ps1 -Install -Url http://192.168.1.10:7374 -Key rdk_... -VmId 105 -Node pve1
.EXAMPLE
    .\rackdeck-agent.ps1 -Print      # measure and print the report, send nothing
    .\rackdeck-agent.ps1 -Check      # ask the receiver whether it is reachable and knows the key
    .\rackdeck-agent.ps1 -Uninstall  # remove the task, the script and the config
#>
[CmdletBinding()]
param(
    [switch]$Install,
    [switch]$Uninstall,
    [switch]$Print,
    [switch]$Check,
    [string]$Url,
    [string]$Key,
    [string]$VmId,
    [string]$Node,
    [string]$ConfigPath = (Join-Path $env:ProgramData 'Rackdeck\rackdeck-agent.conf')
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$AgentVersion = 1
$InstallDir = Join-Path $env:ProgramData 'Rackdeck'
$InstalledScript = Join-Path $InstallDir 'rackdeck-agent.ps1'
$TaskName = 'Rackdeck heartbeat agent'

function Read-RackdeckConfig {
    param([string]$Path)
    $conf = @{ URL = ''; KEY = ''; VMID = ''; NODE = '' }
    if (Test-Path -LiteralPath $Path) {
        # Parsed, never dot-sourced: the file cannot run code.
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($line -match '^\s*(#|$)') { continue }
            if ($line -match '^\s*(URL|KEY|VMID|NODE)\s*=\s*["'']?(.*?)["'']?\s*$') { $conf[$Matches[1]] = $Matches[2] }
        }
    }
    foreach ($name in 'URL', 'KEY', 'VMID', 'NODE') {
        $fromEnv = [Environment]::GetEnvironmentVariable($name)
        if ($fromEnv) { $conf[$name] = $fromEnv }
    }
    $conf
}

function Test-RackdeckConfig {
    param([hashtable]$Conf, [switch]$NeedKey)
    if ($Conf.URL -notmatch '^https?://[A-Za-z0-9.:\[\]_%-]+(/[A-Za-z0-9./_%-]*)?$') { throw 'URL must be like http://192.168.1.10:7374' }
    if ($NeedKey -and $Conf.KEY -notmatch '^rdk_[A-Za-z0-9_-]+$') { throw 'KEY does not look like a Rackdeck agent key (rdk_...)' }
    if ($Conf.VMID -and $Conf.VMID -notmatch '^\d{1,9}$') { throw 'VMID must be digits only' }
    if ($Conf.NODE -and $Conf.NODE -notmatch '^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$') { throw 'NODE must be a Proxmox node name' }
}

function Get-RackdeckCpuPercent {
    # Two reads of the raw counters, like the Linux agent's two reads of /proc/stat:
    # PercentProcessorTime is an inverse (idle) 100 ns counter.
    $a = Get-CimInstance -ClassName Win32_PerfRawData_PerfOS_Processor -Filter "Name='_Total'"
    Start-Sleep -Milliseconds 1000
    $b = Get-CimInstance -ClassName Win32_PerfRawData_PerfOS_Processor -Filter "Name='_Total'"
    $dt = [double]$b.Timestamp_Sys100NS - [double]$a.Timestamp_Sys100NS
    if ($dt -le 0) { return 0.0 }
    $busy = 100.0 * (1.0 - (([double]$b.PercentProcessorTime - [double]$a.PercentProcessorTime) / $dt))
    [Math]::Round([Math]::Min(100.0, [Math]::Max(0.0, $busy)), 1)
}

function Get-RackdeckReport {
    param([hashtable]$Conf)
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='{0}'" -f $env:SystemDrive)
    $memTotal = [int64]$os.TotalVisibleMemorySize * 1024
    $memUsed = $memTotal - [int64]$os.FreePhysicalMemory * 1024
    $diskTotal = [int64]$disk.Size
    $diskUsed = $diskTotal - [int64]$disk.FreeSpace
    $hostName = ($env:COMPUTERNAME -replace '[^A-Za-z0-9._-]', '')
    if (-not $hostName) { $hostName = 'unknown' }
    $report = [ordered]@{
        hostname       = $hostName
        cpuPercent     = (Get-RackdeckCpuPercent)
        memUsedBytes   = [Math]::Max([int64]0, $memUsed)
        memTotalBytes  = $memTotal
        diskUsedBytes  = [Math]::Max([int64]0, $diskUsed)
        diskTotalBytes = $diskTotal
        uptimeSeconds  = [int64]((Get-Date) - $os.LastBootUpTime).TotalSeconds
        timestamp      = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        agent          = "rackdeck-agent.ps1/$AgentVersion"
    }
    if ($Conf.VMID) { $report.vmid = [int]$Conf.VMID }
    if ($Conf.NODE) { $report.node = $Conf.NODE }
    $report
}

function Send-RackdeckReport {
    param([hashtable]$Conf)
    Test-RackdeckConfig -Conf $Conf -NeedKey
    # Windows PowerShell 5.1 offers TLS 1.0 by default; receivers behind HTTPS want 1.2.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    $body = (Get-RackdeckReport -Conf $Conf) | ConvertTo-Json -Compress
    $uri = $Conf.URL.TrimEnd('/') + '/api/health/report'
    Invoke-RestMethod -Method Post -Uri $uri -Headers @{ Authorization = "Bearer $($Conf.KEY)" } `
        -ContentType 'application/json' -Body $body -TimeoutSec 15 -UseBasicParsing
}

function Test-RackdeckReceiver {
    param([hashtable]$Conf)
    Test-RackdeckConfig -Conf $Conf -NeedKey
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    $uri = $Conf.URL.TrimEnd('/') + '/api/health/ping'
    Invoke-RestMethod -Method Get -Uri $uri -Headers @{ Authorization = "Bearer $($Conf.KEY)" } -TimeoutSec 15 -UseBasicParsing
}

function Install-RackdeckAgent {
    param(
        [Parameter(Mandatory = $true)][string]$Url,
        [Parameter(Mandatory = $true)][string]$Key,
        [string]$VmId,
        [string]$Node
    )
    $conf = @{ URL = $Url; KEY = $Key; VMID = $VmId; NODE = $Node }
    Test-RackdeckConfig -Conf $conf -NeedKey
    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Copy-Item -LiteralPath $PSCommandPath -Destination $InstalledScript -Force
    $confPath = Join-Path $InstallDir 'rackdeck-agent.conf'
    $lines = @("URL=$Url", "KEY=$Key")
    if ($VmId) { $lines += "VMID=$VmId" }
    if ($Node) { $lines += "NODE=$Node" }
    Set-Content -LiteralPath $confPath -Value $lines -Encoding ASCII
    # Only SYSTEM (S-1-5-18) and Administrators (S-1-5-32-544) may read the key; SIDs, so any language works.
    & icacls.exe $confPath /inheritance:r /grant:r '*S-1-5-18:F' '*S-1-5-32-544:F' | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls could not restrict $confPath" }

    $action = New-ScheduledTaskAction -Execute 'powershell.exe' `
        -Argument ('-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}"' -f $InstalledScript)
    # Task Scheduler repeats at most once a minute: two triggers 30 s apart make a 30 s heartbeat.
    $start = (Get-Date).AddSeconds(10)
    $triggers = @(
        (New-ScheduledTaskTrigger -Once -At $start -RepetitionInterval (New-TimeSpan -Minutes 1)),
        (New-ScheduledTaskTrigger -Once -At $start.AddSeconds(30) -RepetitionInterval (New-TimeSpan -Minutes 1))
    )
    $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
    $settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -StartWhenAvailable `
        -ExecutionTimeLimit (New-TimeSpan -Minutes 1) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
    Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $triggers -Principal $principal `
        -Settings $settings -Description 'Sends a heartbeat to Rackdeck every 30 s.' -Force | Out-Null

    # The first heartbeat now, so the installer sees at once whether the receiver accepts it.
    Send-RackdeckReport -Conf (Read-RackdeckConfig -Path $confPath) | Out-Null
    Write-Output "Installed: task '$TaskName' reports to $Url every 30 s."
}

function Uninstall-RackdeckAgent {
    if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
        Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
    }
    foreach ($path in $InstalledScript, (Join-Path $InstallDir 'rackdeck-agent.conf')) {
        if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Force }
    }
    Write-Output 'Removed the Rackdeck agent.'
}

# Run only when executed, not when dot-sourced to use the functions.
if ($MyInvocation.InvocationName -ne '.') {
    try {
        if ($Install) { Install-RackdeckAgent -Url $Url -Key $Key -VmId $VmId -Node $Node }
        elseif ($Uninstall) { Uninstall-RackdeckAgent }
        else {
            $conf = Read-RackdeckConfig -Path $ConfigPath
            if ($Url) { $conf.URL = $Url }
            if ($Key) { $conf.KEY = $Key }
            if ($VmId) { $conf.VMID = $VmId }
            if ($Node) { $conf.NODE = $Node }
            if ($Print) { Get-RackdeckReport -Conf $conf | ConvertTo-Json -Compress }
            elseif ($Check) { Test-RackdeckReceiver -Conf $conf | ConvertTo-Json -Compress }
            else { Send-RackdeckReport -Conf $conf | Out-Null }
        }
    }
    catch {
        [Console]::Error.WriteLine("rackdeck-agent: $($_.Exception.Message)")
        exit 3
    }
}

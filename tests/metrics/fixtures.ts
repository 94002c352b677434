/**
 * Outputs as real hosts print them: a Debian 12 VM, a Proxmox VE 8 node, an early CentOS 6
 * (kernel 2.6.32, before MemAvailable), and old coreutils df that wraps long device names.
 */

export const DEBIAN12_STAT = `cpu  1051316 1238 396153 82735412 27911 0 11380 0 0 0
cpu0 262839 302 99183 20682207 7114 0 6040 0 0 0
cpu1 262455 318 98960 20685086 6872 0 2019 0 0 0
cpu2 263064 310 98864 20683436 6966 0 1804 0 0 0
cpu3 262957 306 99145 20684682 6958 0 1516 0 0 0
intr 163624310 0 9 0 0 0 0 0 0 0 0 0 0 156 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
ctxt 312764921
btime 1718871234
processes 1244823
procs_running 1
procs_blocked 0
softirq 80237188 0 17014578 2 5541209 1276386 0 2081 35224577 0 21178355
`;

export const PROXMOX8_STAT = `cpu  18725531 3401 6482811 612348207 1123548 0 412998 0 9811231 0
cpu0 2339101 407 812933 76541127 140512 0 108312 0 1226540 0
cpu1 2342187 432 809216 76545802 140133 0 45001 0 1227112 0
cpu2 2340567 428 810554 76546120 140228 0 43987 0 1226107 0
cpu3 2341984 419 811022 76542518 140811 0 44112 0 1226944 0
cpu4 2340412 431 809876 76543667 140357 0 43665 0 1225988 0
cpu5 2339650 428 808911 76544812 140520 0 42989 0 1226361 0
cpu6 2340983 427 809771 76541455 140465 0 42876 0 1226054 0
cpu7 2340647 429 810528 76542706 140522 0 42056 0 1226125 0
intr 1789120331 0 9 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
ctxt 3512871903
btime 1717000000
processes 9211873
procs_running 3
procs_blocked 0
softirq 912871234 1 212871234 12 87123456 1234567 0 98765 402123456 0 209123456
`;

/** Kernel 2.6.32: nine columns (no guest_nice yet). */
export const CENTOS6_STAT = `cpu  2255 34 2290 22625563 6290 127 456 0 0
cpu0 1132 34 1441 11311718 3675 127 438 0 0
cpu1 1123 0 849 11313845 2614 0 18 0 0
intr 114930548 113199788 3 0 5 263 0 4 0 0 0 0 0 0
ctxt 1990473
btime 1062191376
processes 2915
procs_running 1
procs_blocked 0
`;

export const DEBIAN12_MEMINFO = `MemTotal:        8131056 kB
MemFree:          613048 kB
MemAvailable:    5871856 kB
Buffers:          288412 kB
Cached:          4851752 kB
SwapCached:         1024 kB
Active:          3301424 kB
Inactive:        3507252 kB
Active(anon):    1331048 kB
Inactive(anon):   479696 kB
Active(file):    1970376 kB
Inactive(file):  3027556 kB
Unevictable:           0 kB
Mlocked:               0 kB
SwapTotal:        998396 kB
SwapFree:         989948 kB
Zswap:                 0 kB
Zswapped:              0 kB
Dirty:               232 kB
Writeback:             0 kB
AnonPages:       1667436 kB
Mapped:           460260 kB
Shmem:            142232 kB
KReclaimable:     447332 kB
Slab:             612108 kB
SReclaimable:     447332 kB
SUnreclaim:       164776 kB
KernelStack:        9872 kB
PageTables:        23876 kB
SecPageTables:         0 kB
NFS_Unstable:          0 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:     5063924 kB
Committed_AS:    4234888 kB
VmallocTotal:   34359738367 kB
VmallocUsed:       35688 kB
VmallocChunk:          0 kB
Percpu:             3072 kB
HardwareCorrupted:     0 kB
AnonHugePages:         0 kB
ShmemHugePages:        0 kB
ShmemPmdMapped:        0 kB
FileHugePages:         0 kB
FilePmdMapped:         0 kB
HugePages_Total:       0
HugePages_Free:        0
HugePages_Rsvd:        0
HugePages_Surp:        0
Hugepagesize:       2048 kB
Hugetlb:               0 kB
DirectMap4k:      190316 kB
DirectMap2M:     8198144 kB
DirectMap1G:     2097152 kB
`;

export const PROXMOX8_MEMINFO = `MemTotal:       65777484 kB
MemFree:         3021512 kB
MemAvailable:   21470412 kB
Buffers:          412380 kB
Cached:         17298764 kB
SwapCached:            0 kB
Active:         30112456 kB
Inactive:       28133020 kB
Active(anon):   28041112 kB
Inactive(anon): 12786540 kB
Active(file):    2071344 kB
Inactive(file): 15346480 kB
Unevictable:      185652 kB
Mlocked:          182580 kB
SwapTotal:       8388604 kB
SwapFree:        8388604 kB
Zswap:                 0 kB
Zswapped:              0 kB
Dirty:              1188 kB
Writeback:             0 kB
AnonPages:      40702732 kB
Mapped:           623344 kB
Shmem:            303596 kB
KReclaimable:    1120956 kB
Slab:            2876532 kB
SReclaimable:    1120956 kB
SUnreclaim:      1755576 kB
KernelStack:       26432 kB
PageTables:       112000 kB
SecPageTables:     43612 kB
NFS_Unstable:          0 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:    41277344 kB
Committed_AS:   72125120 kB
VmallocTotal:   34359738367 kB
VmallocUsed:      441016 kB
VmallocChunk:          0 kB
Percpu:            22656 kB
HardwareCorrupted:     0 kB
AnonHugePages:  28254208 kB
ShmemHugePages:        0 kB
ShmemPmdMapped:        0 kB
FileHugePages:         0 kB
FilePmdMapped:         0 kB
Unaccepted:            0 kB
HugePages_Total:       0
HugePages_Free:        0
HugePages_Rsvd:        0
HugePages_Surp:        0
Hugepagesize:       2048 kB
Hugetlb:               0 kB
DirectMap4k:      921428 kB
DirectMap2M:    31604736 kB
DirectMap1G:    35651584 kB
`;

/** No MemAvailable: that line arrived in 3.14 (and in later RHEL 6 updates). */
export const CENTOS6_MEMINFO = `MemTotal:        1922260 kB
MemFree:          155576 kB
Buffers:          129508 kB
Cached:           921368 kB
SwapCached:            0 kB
Active:          1014164 kB
Inactive:         537264 kB
Active(anon):     500864 kB
Inactive(anon):      172 kB
Active(file):     513300 kB
Inactive(file):   537092 kB
Unevictable:           0 kB
Mlocked:               0 kB
SwapTotal:       4063228 kB
SwapFree:        4063228 kB
Dirty:                40 kB
Writeback:             0 kB
AnonPages:        500612 kB
Mapped:            38264 kB
Shmem:               424 kB
Slab:             151816 kB
SReclaimable:     121612 kB
SUnreclaim:        30204 kB
KernelStack:        1688 kB
PageTables:         4936 kB
NFS_Unstable:          0 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:     5024356 kB
Committed_AS:     839768 kB
VmallocTotal:   34359738367 kB
VmallocUsed:      150828 kB
VmallocChunk:   34359581700 kB
HardwareCorrupted:     0 kB
AnonHugePages:    417792 kB
HugePages_Total:       0
HugePages_Free:        0
HugePages_Rsvd:        0
HugePages_Surp:        0
Hugepagesize:       2048 kB
DirectMap4k:        8192 kB
DirectMap2M:     2088960 kB
`;

export const DEBIAN12_NETDEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 45912873  412873    0    0    0     0          0         0 45912873  412873    0    0    0     0       0          0
  ens18: 98712034121 71234512    0 1204    0     0          0     12034 12071234987 31234877    0    0    0     0       0          0
`;

export const PROXMOX8_NETDEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 8123449021 4412873    0    0    0     0          0         0 8123449021 4412873    0    0    0     0       0          0
enp3s0: 912873401234 812734123    0  312    0     0          0    912734 401234987123 512341234    0    0    0     0       0          0
 vmbr0: 893412098123 798123412    0    0    0     0          0    901234 398123098123 501234123    0    0    0     0       0          0
tap100i0: 12034987123 9123412    0    0    0     0          0         0 98123409871 10234123    0    0    0     0       0          0
fwbr101i0: 3409871234 2123412    0    0    0     0          0         0    0       0    0    0    0     0       0          0
fwpr101p0: 4409871234 3123412    0    0    0     0          0         0 3409871234 2123412    0    0    0     0       0          0
fwln101i0: 3409871234 2123412    0    0    0     0          0         0 4409871234 3123412    0    0    0     0       0          0
veth101i0: 3409871234 2123412    0    0    0     0          0         0 4409871234 3123412    0    0    0     0       0          0
`;

/** Kernel 2.6 with a wide first counter: no space after the colon. */
export const CENTOS6_NETDEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:   12345      98    0    0    0     0          0         0    12345      98    0    0    0     0       0          0
  eth0:4012345678 3123456    0    0    0     0          0         0 1234567890 2123456    0    0    0     0       0          0
`;

export const DEBIAN12_DF = `Filesystem       1B-blocks        Used   Available Use% Mounted on
udev            4138438656           0  4138438656   0% /dev
tmpfs            832618496     1064960   831553536   1% /run
/dev/sda1      33501757440  7124508672 24643874816  23% /
tmpfs           4163092480           0  4163092480   0% /dev/shm
tmpfs              5242880           0     5242880   0% /run/lock
/dev/sda15       129718272    12124160   117594112  10% /boot/efi
tmpfs            832614400           0   832614400   0% /run/user/1000
`;

export const PROXMOX8_DF = `Filesystem              1B-blocks         Used     Available Use% Mounted on
udev                  33651888128            0   33651888128   0% /dev
tmpfs                  6735736832      2772992    6732963840   1% /run
/dev/mapper/pve-root  100861726720  15871234048   79833251840  17% /
tmpfs                 33678675968     47230976   33631444992   1% /dev/shm
tmpfs                     5242880            0       5242880   0% /run/lock
efivarfs                   262144       104448        152576  41% /sys/firmware/efi/efivars
/dev/nvme0n1p2         1071624192     12603392    1059020800   2% /boot/efi
/dev/fuse               134217728        32768     134184960   1% /etc/pve
tank                 3839141216256 131072      3839141085184   1% /tank
tank/backups         5012345012224 1173203927040 3839141085184  24% /tank/backups
//nas.lan/media      3998639460352 2012345012224 1986294448128  51% /mnt/pve/media
tmpfs                  6735736832            0    6735736832   0% /run/user/0
`;

/** coreutils 8.4 (CentOS 6): a long device name gets a line of its own. */
export const CENTOS6_DF_WRAPPED = `Filesystem           1B-blocks      Used Available Use% Mounted on
/dev/mapper/VolGroup-lv_root
                     53660876800 5368709120 45566394368  11% /
tmpfs                 1960689664         0 1960689664   0% /dev/shm
/dev/sda1              507744256  65880064  415653888  14% /boot
/dev/mapper/VolGroup-lv_home
                     428373786624 209715200 406404194304   1% /home
`;

export const GARBAGE = [
  '',
  'garbage',
  '<html><body>502 Bad Gateway</body></html>',
  '-bash: /proc/stat: No such file or directory',
  'cpu  a b c d',
  '\u0000\u0001\u0002',
];

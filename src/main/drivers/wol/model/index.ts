/** The pure parts of Wake-on-LAN (MACs, packets, targets, what a send's results mean): no socket here. */
export { MAC_FORMS, MacError, isMac, parseMac, type Mac } from './mac';
export { magicPacket, parseSecureOn, SECUREON_FORMS } from './packet';
export { directedBroadcast, formatIpv4, parseIpv4, parseNetmask } from './broadcast';
export { planWolTargets, LIMITED_BROADCAST, type WolTarget } from './targets';
export { describeSendFailure, type WolSender, type WolSendOptions, type WolSendResult } from './send';
export { wakeServer } from './server-wake';

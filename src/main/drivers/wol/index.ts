export { MAC_FORMS, MacError, isMac, parseMac, type Mac } from './mac';
export { magicPacket, parseSecureOn, SECUREON_FORMS } from './packet';
export { directedBroadcast, formatIpv4, parseIpv4, parseNetmask } from './broadcast';
export { planWolTargets, LIMITED_BROADCAST, type WolTarget } from './targets';
export { sendWol, describeSendFailure, type WolSender, type WolSendOptions, type WolSendResult } from './sender';
export { wakeServer } from './server-wake';

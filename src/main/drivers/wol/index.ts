export * from './model';
export { sendWol } from './sender';

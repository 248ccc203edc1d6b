export * from './unionpay-emulator';
export * from './unionpay-quick-start';
export * from './unionpay-test-pki';

export * from './wechat-pay-emulated-refund';
export * from './wechat-pay-emulated-trade';
export * from './wechat-pay-emulator';
export * from './wechat-pay-emulator-keys';
export * from './wechat-pay-emulator-start';

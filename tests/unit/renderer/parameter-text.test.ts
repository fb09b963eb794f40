/**
 * The number parameters of the Model tab read decimal numbers as people write them, and refuse
 * anything else JavaScript would take for a number (hex, exponents, Infinity), saying so.
 */

import { describe, expect, test } from 'vitest';
import { NUMBER_RULES, parseNumberParameter } from '../../../renderer/features/model/parameter-text';

describe('number parameters', () => {
  test('temperature takes decimals from 0 to 2, and says what it does not understand', () => {
    const typed = ['', ' ', '0.7', ' 1 ', '.5', '0.', '2', '+1', '0x1', '1e0', 'Infinity', '0b1', '1,5', 'warm', '3', '-1', '-0x1'];
    expect(typed.map((text) => [text, parseNumberParameter(text, NUMBER_RULES.temperature)])).toStrictEqual([
      ['', { value: undefined }],
      [' ', { value: undefined }],
      ['0.7', { value: 0.7 }],
      [' 1 ', { value: 1 }],
      ['.5', { value: 0.5 }],
      // On the way to "0.7".
      ['0.', { value: 0 }],
      ['2', { value: 2 }],
      ['+1', { value: 1 }],
      ['0x1', { error: 'Temperature must be a number, such as 0.7: “0x1” is not understood' }],
      ['1e0', { error: 'Temperature must be a number, such as 0.7: “1e0” is not understood' }],
      ['Infinity', { error: 'Temperature must be a number, such as 0.7: “Infinity” is not understood' }],
      ['0b1', { error: 'Temperature must be a number, such as 0.7: “0b1” is not understood' }],
      // Another locale’s 1.5.
      ['1,5', { error: 'Temperature must be a number, such as 0.7: “1,5” is not understood' }],
      ['warm', { error: 'Temperature must be a number, such as 0.7: “warm” is not understood' }],
      ['3', { error: 'Temperature must be between 0 and 2' }],
      ['-1', { error: 'Temperature must be between 0 and 2' }],
      ['-0x1', { error: 'Temperature must be a number, such as 0.7: “-0x1” is not understood' }],
    ]);
  });

  test('max tokens takes whole numbers, with thousands separators, and no hex or exponent', () => {
    const typed = ['16', '4,096', '4096', '0x10', '1e3', '2.5', '0'];
    expect(typed.map((text) => [text, parseNumberParameter(text, NUMBER_RULES.maxTokens)])).toStrictEqual([
      ['16', { value: 16 }],
      ['4,096', { value: 4096 }],
      ['4096', { value: 4096 }],
      ['0x10', { error: 'Max tokens must be a number, such as 4096: “0x10” is not understood' }],
      ['1e3', { error: 'Max tokens must be a number, such as 4096: “1e3” is not understood' }],
      ['2.5', { error: 'Max tokens must be a whole number' }],
      ['0', { error: 'Max tokens must be between 1 and 10000000' }],
    ]);
  });
});

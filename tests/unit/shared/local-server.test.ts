/** Where a provider's server is (this machine or the local network, or the internet), and the default time limits that follow from it. */

import { describe, expect, test } from 'vitest';
import { isLocalUrl } from '../../../shared/local-server';
import { defaultTimeLimits, durationText } from '../../../shared/time-limits';
import type { ProviderKind } from '../../../shared/types';

describe('isLocalUrl', () => {
  test('loopback, private-network and local names are local; any other host, and no URL at all, is not', () => {
    const urls = [
      'http://127.0.0.1:1234/v1',
      'http://127.8.9.10/v1',
      'http://localhost:8080/v1',
      'http://LocalHost./v1',
      'http://models.localhost/v1',
      'http://[::1]:8000/v1',
      'http://0.0.0.0:1234/v1',
      'http://10.0.0.5:8000/v1',
      'http://172.16.0.1/v1',
      'http://172.31.255.254/v1',
      'http://192.168.1.20:1234/v1',
      'http://[fd12:3456::1]/v1',
      'http://[fe80::1]/v1',
      'http://[::ffff:192.168.1.20]/v1',
      'http://100.101.102.103:8000/v1',
      'http://gpu-box.local:1234/v1',
      'http://gpu-box:8000/v1',
      'http://nas.home.arpa/v1',
      // Out on the internet.
      'https://openrouter.ai/api/v1',
      'https://api.groq.com/openai/v1',
      'https://llm.example.com/v1',
      'http://172.15.0.1/v1',
      'http://172.32.0.1/v1',
      'http://192.169.1.1/v1',
      'http://8.8.8.8/v1',
      'http://100.128.0.1/v1',
      'http://[2001:db8::1]/v1',
      'http://[::ffff:8.8.8.8]/v1',
      'http://local.example.com/v1',
      // Not a URL.
      '',
      '127.0.0.1:1234',
    ];
    expect(Object.fromEntries(urls.map((url) => [url, isLocalUrl(url)]))).toStrictEqual({
      'http://127.0.0.1:1234/v1': true,
      'http://127.8.9.10/v1': true,
      'http://localhost:8080/v1': true,
      'http://LocalHost./v1': true,
      'http://models.localhost/v1': true,
      'http://[::1]:8000/v1': true,
      'http://0.0.0.0:1234/v1': true,
      'http://10.0.0.5:8000/v1': true,
      'http://172.16.0.1/v1': true,
      'http://172.31.255.254/v1': true,
      'http://192.168.1.20:1234/v1': true,
      'http://[fd12:3456::1]/v1': true,
      'http://[fe80::1]/v1': true,
      'http://[::ffff:192.168.1.20]/v1': true,
      'http://100.101.102.103:8000/v1': true,
      'http://gpu-box.local:1234/v1': true,
      'http://gpu-box:8000/v1': true,
      'http://nas.home.arpa/v1': true,
      'https://openrouter.ai/api/v1': false,
      'https://api.groq.com/openai/v1': false,
      'https://llm.example.com/v1': false,
      'http://172.15.0.1/v1': false,
      'http://172.32.0.1/v1': false,
      'http://192.169.1.1/v1': false,
      'http://8.8.8.8/v1': false,
      'http://100.128.0.1/v1': false,
      'http://[2001:db8::1]/v1': false,
      'http://[::ffff:8.8.8.8]/v1': false,
      'http://local.example.com/v1': false,
      '': false,
      '127.0.0.1:1234': false,
    });
  });
});

describe('defaultTimeLimits', () => {
  test('follow where the server is: a compatible cloud API gets the cloud defaults, a local server and Ollama anywhere the local ones', () => {
    const providers: [ProviderKind, string][] = [
      ['openai', 'https://api.openai.com/v1'],
      // A proxy on this machine in front of the cloud API is still the cloud API.
      ['anthropic', 'http://127.0.0.1:4000'],
      ['ollama', 'http://127.0.0.1:11434'],
      ['ollama', 'https://ollama.example.com'],
      ['openai-compatible', 'http://127.0.0.1:1234/v1'],
      ['openai-compatible', 'http://192.168.1.20:8000/v1'],
      ['openai-compatible', 'https://openrouter.ai/api/v1'],
      ['openai-compatible', 'https://api.groq.com/openai/v1'],
    ];
    const shown = providers.map(([kind, endpoint]) => {
      const limits = defaultTimeLimits(kind, endpoint);
      return `${kind} ${endpoint}: ${durationText(limits.firstOutputMs)} / ${durationText(limits.stallMs)} / ${durationText(limits.totalMs)}`;
    });
    expect(shown).toStrictEqual([
      'openai https://api.openai.com/v1: 3m / 2m / 15m',
      'anthropic http://127.0.0.1:4000: 3m / 2m / 15m',
      'ollama http://127.0.0.1:11434: 5m / 5m / 30m',
      'ollama https://ollama.example.com: 5m / 5m / 30m',
      'openai-compatible http://127.0.0.1:1234/v1: 5m / 5m / 30m',
      'openai-compatible http://192.168.1.20:8000/v1: 5m / 5m / 30m',
      'openai-compatible https://openrouter.ai/api/v1: 3m / 2m / 15m',
      'openai-compatible https://api.groq.com/openai/v1: 3m / 2m / 15m',
    ]);
  });
});

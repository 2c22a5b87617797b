import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderAnswer } from './presenter';

it('renders bold inside Chinese text, where plain CommonMark would show the asterisks', () => {
  assert.equal(renderAnswer('按工资总额的**16%**缴纳').trim(), '<p>按工资总额的<strong>16%</strong>缴纳</p>');
  assert.match(renderAnswer('**单位缴费**：一般按'), /<strong>单位缴费<\/strong>：/);
});

it('strips scripts, event handlers and unsafe links from answers', () => {
  const html = renderAnswer('<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1)) [官网](https://www.mohrss.gov.cn)');
  assert.ok(!/<script|onerror|href="javascript:/i.test(html), html);
  assert.match(html, /href="https:\/\/www\.mohrss\.gov\.cn"/);
  assert.match(html, /rel="noopener noreferrer"/);
});

import { NoticeEditBody } from '../../api/schemas';

/** PATCH /api/v1/notices/{id}: SMTP sends `text`, Slack and files send `markdown`. */
describe('a notice edit', () => {
  it('of the markdown alone is refused: e-mail would still send the old text', () => {
    const r = NoticeEditBody.safeParse({ markdown: 'Your window moves to Tuesday.' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['text', 'edit markdown and text together: e-mail sends the text, Slack and the file delivery the markdown, so one alone would send the old wording']]);
    expect(NoticeEditBody.safeParse({ text: 'Your window moves to Tuesday.' }).success).toBe(false);
  });

  it('of both, or of the subject alone, is fine', () => {
    expect(NoticeEditBody.safeParse({ markdown: '**Tuesday**', text: 'Tuesday' }).success).toBe(true);
    expect(NoticeEditBody.safeParse({ subject: 'New window' }).success).toBe(true);
  });
});

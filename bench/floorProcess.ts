/**
 * The two floors, each alone in this child process, on the same stack as the bot (restify +
 * CloudAdapter, unauthenticated as locally):
 * - `echo`: answers each message with one reply, nothing else;
 * - `stateful`: per turn one table read (the conversation's row) and one conditional write (ETag;
 *   a create for a new conversation), then the reply — on the same Azurite, through the same
 *   counting proxy as the bot.
 * Forked by bench/run.ts with BENCH_FLOOR=echo|stateful; answers { url } once listening.
 */
import { TableClient } from '@azure/data-tables';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

async function main(): Promise<void> {
  const mode = process.env.BENCH_FLOOR ?? 'echo';
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  let table: TableClient | undefined;
  if (mode === 'stateful') {
    table = TableClient.fromConnectionString(process.env.BENCH_TABLES ?? '', 'benchfloor', { allowInsecureConnection: true });
    await table.createTable();
  }
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (ctx) => {
      if (ctx.activity.type !== 'message') return;
      let turns = 1;
      if (table) {
        const rowKey = encodeURIComponent(ctx.activity.conversation.id);
        try {
          const row = await table.getEntity<{ turns: number }>('c', rowKey);
          turns = (row.turns ?? 0) + 1;
          await table.updateEntity({ partitionKey: 'c', rowKey, turns }, 'Replace', { etag: row.etag });
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404) throw err;
          await table.createEntity({ partitionKey: 'c', rowKey, turns });
        }
      }
      await ctx.sendActivity(`echo ${turns}: ${ctx.activity.text ?? ''}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

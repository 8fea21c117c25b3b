/**
 * One hop of the bench's bare chain, run as a process of its own: Express with a JSON body, no SDK,
 * no logging, no store. It calls the next hop with fetch and answers what that answered; the last
 * hop answers 201. HOP_PORT is where it listens, HOP_NEXT the next hop's URL (none for the last).
 */
import express from 'express';

const port = Number(process.env.HOP_PORT);
const next = process.env.HOP_NEXT;

const app = express();
app.use(express.json());
app.post('/spin', async (req, res) => {
  if (!next) {
    res.status(201).json({ stake: (req.body as { stake?: unknown }).stake, win: 0 });
    return;
  }
  const answer = await fetch(next, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) });
  res.status(answer.status).json(await answer.json());
});
app.listen(port, '127.0.0.1', () => process.send?.('ready'));

import { topSelfTime } from '../scripts/bench/profile-summary.ts';
import fs from 'node:fs';
const f = fs.readdirSync('/tmp/prof').map(x => '/tmp/prof/'+x)[0]!;
for (const e of topSelfTime(f, 30)) console.log(e.percent.toFixed(1).padStart(5), e.name);

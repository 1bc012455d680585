/**
 * The questions `stepflare create` asks on a terminal (never in CI: flags answer them there).
 * @module
 */
import { createInterface } from 'node:readline/promises'
import { color } from '../print'
import { isTemplate, TEMPLATES, type TemplateName } from './templates'

export interface Answers {
  dir: string
  template: TemplateName
}

export async function ask(missing: { dir?: string; template?: TemplateName }, defaults: Answers): Promise<Answers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    let dir = missing.dir
    if (!dir) dir = (await rl.question(`${color.bold('Project directory')} ${color.gray(`(${defaults.dir})`)} `)).trim() || defaults.dir
    let template = missing.template
    const names = Object.keys(TEMPLATES) as TemplateName[]
    while (!template) {
      console.log(color.bold('Template'))
      names.forEach((n, i) => {
        console.log(`  ${i + 1}. ${n.padEnd(14)} ${color.gray(TEMPLATES[n])}`)
      })
      const answer = (await rl.question(`Choose 1-${names.length} ${color.gray(`(${defaults.template})`)} `)).trim()
      const picked = answer === '' ? defaults.template : (names[Number(answer) - 1] ?? answer)
      if (isTemplate(picked)) template = picked
      else console.log(color.yellow(`"${answer}" is not one of the templates; answer with its number or name.`))
    }
    return { dir, template }
  } finally {
    rl.close()
  }
}

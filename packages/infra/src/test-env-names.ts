/** Test databases of one jest run share a prefix derived from its template's name. */
export function testDatabasePrefix(template: string): string {
  return `dlsync_t_${template.replace(/^dlsync_tpl_/, '')}_`;
}

package normalize

import "testing"

// TestTitleVocabularySpanish reads Spanish job titles of Spain and Latin
// America, in both genders ("Camarero/a", "Enfermera"), written from general
// knowledge of occupations (ESCO's Spanish titles), not from the gold sets or
// the captures; occupations no family fits have no role ("").
func TestTitleVocabularySpanish(t *testing.T) {
	checkTitleFamilies(t, []titleFamily{
		{"Accountant", []string{
			"Contable", "Contador/a", "Auxiliar contable", "Técnico/a contable", "Asesor/a fiscal", "Auditor/a",
			"Responsable de contabilidad", "Analista contable", "Contador/a público/a", "Auditor/a interno/a",
			"Asistente contable", "Contador/a auditor/a",
		}},
		{"Administrative Assistant", []string{
			"Auxiliar administrativo/a", "Administrativo/a", "Secretaria de dirección", "Secretario/a",
			"Recepcionista", "Asistente de dirección", "Auxiliar de oficina", "Recepcionista bilingüe",
			"Jefe/a administrativo/a",
		}},
		{"Architect", []string{
			"Arquitecto/a",
		}},
		{"Backend Engineer", []string{
			"Desarrollador/a Backend",
		}},
		{"Business Analyst", []string{
			"Analista de negocio", "Analista funcional", "Analista de sistemas",
		}},
		{"Civil Engineer", []string{
			"Ingeniero/a civil", "Ingeniero de caminos, canales y puertos", "Jefe/a de obra", "Aparejador/a",
			"Arquitecto técnico",
		}},
		{"Consultant", []string{
			"Consultor/a SAP",
		}},
		{"Creative Director", []string{
			"Director/a de arte",
		}},
		{"Customer Support", []string{
			"Atención al cliente", "Agente de atención al cliente", "Teleoperador/a",
			"Gestor/a de atención al cliente", "Operador/a de call center", "Supervisor/a de call center",
			"Especialista en atención al cliente", "Ejecutivo/a de atención al cliente",
		}},
		{"Data Analyst", []string{
			"Analista de datos",
		}},
		{"Data Engineer", []string{
			"Ingeniero/a de datos",
		}},
		{"Data Scientist", []string{
			"Científico/a de datos",
		}},
		{"Database Administrator", []string{
			"Administrador/a de bases de datos",
		}},
		{"Designer", []string{
			"Diseñador/a de moda", "Diseñador/a de interiores",
		}},
		{"DevOps Engineer", []string{
			"Ingeniero/a DevOps",
		}},
		{"Electrical Engineer", []string{
			"Ingeniero/a eléctrico/a",
		}},
		{"Environment & Safety", []string{
			"Técnico/a de prevención de riesgos laborales", "Técnico/a de medio ambiente",
			"Técnico/a de prevención",
		}},
		{"Executive", []string{
			"Director/a general", "Consejero delegado", "Gerente general",
		}},
		{"Finance", []string{
			"Analista financiero/a", "Director/a financiero/a", "Asesor financiero", "Gestor/a de banca personal",
			"Analista de riesgos de crédito", "Gestor/a de cobros", "Cajero/a de banco", "Analista de créditos",
			"Analista de cobranzas", "Gestor/a de cobranza", "Cobrador/a",
		}},
		{"Frontend Engineer", []string{
			"Desarrollador/a web", "Desarrollador/a front-end",
		}},
		{"Full Stack Developer", []string{
			"Desarrollador/a Full Stack",
		}},
		{"Graphic Designer", []string{
			"Diseñador/a gráfico/a",
		}},
		{"HR", []string{
			"Técnico/a de recursos humanos", "Responsable de nóminas", "Director/a de recursos humanos",
			"Analista de RRHH", "Coordinador/a de recursos humanos", "Especialista en recursos humanos",
			"Asistente de recursos humanos",
		}},
		{"Healthcare Professional", []string{
			"Auxiliar de enfermería", "Odontólogo/a", "TCAE", "Técnico en cuidados auxiliares de enfermería", "Fisioterapeuta",
			"Farmacéutico/a", "Técnico/a de farmacia", "Psicólogo/a", "Terapeuta ocupacional", "Logopeda",
			"Gerocultor/a", "Auxiliar de geriatría", "Cuidador/a de personas mayores",
			"Técnico en emergencias sanitarias", "Higienista dental", "Auxiliar de clínica dental",
			"Nutricionista", "Óptico optometrista", "Podólogo/a", "Técnico/a de radiología",
			"Auxiliar de farmacia", "Trabajador/a social", "Auxiliar de ayuda a domicilio",
			"Químico/a farmacéutico/a", "Kinesiólogo/a", "Fonoaudiólogo/a", "Tecnólogo/a médico/a",
			"Psicólogo/a clínico/a", "Nutriólogo/a", "Terapeuta físico/a", "Paramédico/a",
			"Farmacéutico/a comunitario/a",
		}},
		{"Hospitality & Travel", []string{
			"Camarero/a", "Camarera de pisos", "Cocinero/a", "Ayudante de cocina", "Jefe/a de cocina",
			"Friegaplatos", "Recepcionista de hotel", "Gobernanta", "Coctelero/a", "Agente de viajes",
			"Guía turístico", "Tripulante de cabina", "Azafata de vuelo", "Monitor/a de gimnasio",
			"Entrenador/a personal", "Socorrista", "Pastelero/a", "Pizzero", "Auxiliar de cocina",
			"Ayudante de camarero", "Gerente de restaurante", "Repostero/a", "Pescadero/a", "Esteticista",
			"Jefe/a de sala", "Jefe de partida", "Maître", "Director/a de hotel", "Técnico/a de turismo",
			"Agente de reservas", "Azafata de congresos", "Manicurista", "Monitor/a de natación",
			"Carnicero/a de supermercado", "Mesero/a", "Lavaplatos", "Ama de llaves", "Botones", "Chef ejecutivo",
		}},
		{"IT Support", []string{
			"Técnico/a de soporte informático", "Técnico/a de helpdesk", "Técnico/a informático/a",
			"Analista de soporte", "Soporte técnico", "Mesa de ayuda", "Técnico/a en informática",
		}},
		{"Insurance", []string{
			"Tramitador/a de siniestros", "Perito de seguros", "Agente de seguros", "Asesor/a de seguros",
			"Ajustador/a de seguros", "Corredor/a de seguros",
		}},
		{"Legal & Compliance", []string{
			"Abogado/a", "Asesor/a jurídico/a", "Técnico/a de cumplimiento normativo",
			"Procurador/a de los tribunales", "Notario", "Abogado/a laboralista", "Graduado/a social",
			"Abogado/a corporativo/a", "Asistente legal",
		}},
		{"Marketing", []string{
			"Especialista en marketing digital", "Community manager", "Responsable de marketing",
			"Técnico/a de marketing", "Gestor/a de redes sociales", "Especialista SEO", "Director/a de marketing",
			"Analista de marketing", "Gerente de marketing", "Coordinador/a de marketing",
			"Asistente de marketing", "Especialista en SEO",
		}},
		{"Mechanical Engineer", []string{
			"Ingeniero/a industrial", "Ingeniero mecánico", "Ingeniero/a de procesos",
			"Ingeniero/a de mantenimiento",
		}},
		{"Media & Journalism", []string{
			"Periodista", "Fotógrafo/a", "Editor/a de vídeo", "Editor/a", "Locutor/a", "Productor/a audiovisual",
			"Camarógrafo/a",
		}},
		{"Nurse", []string{
			"Enfermero/a", "Enfermera de quirófano", "Matrona", "Enfermero/a jefe",
		}},
		{"Operations", []string{
			"Jefe/a de operaciones", "Director/a de operaciones", "Responsable de operaciones",
		}},
		{"Physician", []string{
			"Médico/a de familia", "Médico especialista en pediatría", "Veterinario/a", "Pediatra",
			"Psiquiatra", "Cirujano/a", "Ginecólogo/a", "Anestesista", "Médico/a general",
		}},
		{"Procurement & Supply Chain", []string{
			"Mozo/a de almacén", "Mozo de almacén", "Operario/a de almacén", "Preparador/a de pedidos",
			"Carretillero/a", "Responsable de compras", "Comprador/a", "Técnico/a de compras",
			"Técnico/a de logística", "Jefe/a de almacén", "Gestor/a de tráfico", "Coordinador/a de logística",
			"Auxiliar de almacén", "Operador/a logístico/a", "Analista de compras", "Analista de logística",
			"Supervisor/a de almacén", "Auxiliar de bodega", "Bodeguero/a", "Montacarguista", "Despachador/a",
			"Operador/a de montacargas",
		}},
		{"Product Manager", []string{
			"Gerente de producto",
		}},
		{"Project Manager", []string{
			"Jefe/a de proyecto", "Gerente de proyectos", "Líder de proyecto",
		}},
		{"Public Sector", []string{
			"Policía local", "Bombero/a", "Guardia civil", "Agente de policía",
		}},
		{"Recruiter", []string{
			"Técnico/a de selección", "Reclutador/a IT",
		}},
		{"Sales", []string{
			"Ejecutivo/a de ventas", "Ejecutiva comercial", "Ejecutivo comercial", "Asesor/a comercial",
			"Asesora comercial", "Comercial", "Vendedor/a", "Dependiente/a", "Dependienta de tienda",
			"Reponedor/a", "Cajero/a", "Cajera reponedora", "Jefe/a de ventas", "Director comercial",
			"Representante de ventas", "Agente comercial", "Delegado/a comercial", "Técnico/a comercial",
			"Promotor/a de ventas", "Encargado/a de tienda", "Visitador médico", "Gerente de cuentas",
			"Gestor/a comercial", "Director/a de tienda", "Auxiliar de tienda", "Promotor/a",
			"Dependiente/a de panadería", "Ejecutivo/a de cuentas", "Coordinador/a de ventas",
			"Supervisor/a de ventas", "Asistente de ventas", "Vendedor/a de mostrador", "Agente de ventas",
			"Corredor/a de propiedades",
		}},
		{"Scientist", []string{
			"Investigador/a postdoctoral", "Químico/a", "Técnico/a de laboratorio",
			"Técnico/a de laboratorio clínico",
		}},
		{"Security Engineer", []string{
			"Especialista en ciberseguridad", "Ingeniero/a de ciberseguridad",
		}},
		{"Skilled Trades", []string{
			"Electricista", "Fontanero/a", "Soldador/a", "Mecánico/a", "Mecánico de automoción",
			"Técnico/a de mantenimiento", "Técnico de mantenimiento industrial", "Carpintero/a", "Albañil",
			"Oficial de primera albañil", "Pintor/a", "Frigorista", "Técnico/a de climatización",
			"Instalador/a de fibra óptica", "Cerrajero/a", "Chapista", "Electromecánico/a", "Tornero fresador",
			"Auxiliar de mantenimiento", "Operario/a de mantenimiento", "Oficial de 1ª electricista", "Costurera",
			"Sastre", "Joyero/a", "Técnico/a electricista", "Técnico/a en refrigeración", "Plomero/a",
			"Mecánico/a automotriz", "Maestro/a de obra", "Encargado/a de mantenimiento", "Ayudante de mecánico",
		}},
		{"Software Architect", []string{
			"Arquitecto/a de software", "Arquitecto/a de soluciones",
		}},
		{"Software Engineer", []string{
			"Desarrollador/a", "Desarrolladora de software", "Programador/a Java", "Ingeniero/a de software",
			"Programador/a PHP",
		}},
		{"System Administrator", []string{
			"Técnico/a de sistemas", "Administrador/a de sistemas", "Administrador/a de redes",
		}},
		{"Teacher & Trainer", []string{
			"Profesor/a de inglés", "Maestro/a de primaria", "Educador/a infantil",
			"Técnico/a en educación infantil", "Monitor/a de tiempo libre", "Formador/a", "Docente de FP",
			"Tutor/a", "Orientador/a laboral", "Educador/a social", "Psicopedagogo/a", "Pedagogo/a",
			"Profesor/a de autoescuela", "Maestro/a de educación infantil", "Coordinador/a académico/a",
			"Docente de matemáticas", "Profesor/a de educación básica", "Educadora de párvulos",
			"Asistente de párvulos", "Niñera",
		}},
		{"Translator", []string{
			"Traductor/a", "Traductor/a jurado/a",
		}},
		{"UX/UI Designer", []string{
			"Diseñador/a UX/UI", "Diseñador/a de producto",
		}},
		{"Writer", []string{
			"Redactor/a de contenidos", "Redactor/a publicitario/a", "Gestor/a de contenidos",
			"Creador/a de contenido",
		}},
		{"", []string{
			"Conductor/a de camión", "Repartidor/a", "Limpiador/a", "Personal de limpieza",
			"Vigilante de seguridad", "Operario/a de producción", "Peón agrícola", "Auxiliar de limpieza",
			"Conserje", "Jardinero/a", "Conductor/a de reparto", "Chófer", "Peluquero/a", "Mensajero/a",
			"Guardia de seguridad", "Aseador/a", "Estilista",
		}},
	})
}
